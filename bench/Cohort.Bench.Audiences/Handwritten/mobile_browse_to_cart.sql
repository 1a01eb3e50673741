-- A mobile product view followed within 10 minutes by an add to cart, both in the last 14 days.
WITH views AS (
    SELECT customer_id, occurred_at AS t FROM events
    WHERE event = 'Product Viewed' AND device = 'mobile' AND occurred_at >= {{ago:14 days}} AND occurred_at <= {{as_of}}
),
carts AS (
    SELECT customer_id, occurred_at AS t FROM events
    WHERE event = 'Added to Cart' AND occurred_at >= {{ago:14 days}} AND occurred_at <= {{as_of}}
)
SELECT count(*)
FROM customers c
WHERE c.customer_id IN (
    SELECT v.customer_id FROM views v
    JOIN carts ca ON ca.customer_id = v.customer_id AND ca.t > v.t AND ca.t <= v.t + INTERVAL '10 minutes')
