-- A cart in the last 24 hours (and at least an hour ago) with no order in the hour after it; consent and an email.
WITH carts AS (
    SELECT customer_id, occurred_at AS t
    FROM events
    WHERE event = 'Added to Cart' AND occurred_at >= {{ago:24 hours}} AND occurred_at <= {{ago:1 hour}}
),
orders_after AS (
    SELECT customer_id, occurred_at AS t
    FROM events
    WHERE event = 'Order Completed' AND occurred_at >= {{ago:24 hours}} AND occurred_at <= {{as_of}}
),
abandoned AS (
    SELECT DISTINCT ca.customer_id
    FROM carts ca
    WHERE NOT EXISTS (
        SELECT 1 FROM orders_after o
        WHERE o.customer_id = ca.customer_id AND o.t > ca.t AND o.t <= ca.t + INTERVAL '1 hour')
)
SELECT count(*)
FROM customers c
JOIN abandoned a ON a.customer_id = c.customer_id
WHERE c.email_consent AND c.email IS NOT NULL
