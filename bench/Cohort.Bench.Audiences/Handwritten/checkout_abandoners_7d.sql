-- Product Viewed -> Added to Cart (<= 30 min) -> Checkout Started (<= 30 min), first to last <= 1 hour, all in the
-- last 7 days; no order within 2 hours after the checkout (which must be 2 hours old); not a 24-hour cart abandoner.
WITH recent AS (
    SELECT customer_id, event, occurred_at AS t
    FROM events
    WHERE occurred_at >= {{ago:7 days}} AND occurred_at <= {{as_of}}
      AND event IN ('Product Viewed', 'Added to Cart', 'Checkout Started', 'Order Completed')
),
checkouts AS (
    SELECT DISTINCT s3.customer_id, s3.t
    FROM recent s3
    JOIN recent s2 ON s2.customer_id = s3.customer_id AND s2.event = 'Added to Cart'
        AND s2.t < s3.t AND s3.t <= s2.t + INTERVAL '30 minutes'
    JOIN recent s1 ON s1.customer_id = s2.customer_id AND s1.event = 'Product Viewed'
        AND s1.t < s2.t AND s2.t <= s1.t + INTERVAL '30 minutes' AND s3.t <= s1.t + INTERVAL '1 hour'
    WHERE s3.event = 'Checkout Started' AND s3.t <= {{ago:2 hours}}
),
abandoned AS (
    SELECT DISTINCT k.customer_id
    FROM checkouts k
    WHERE NOT EXISTS (
        SELECT 1 FROM recent o
        WHERE o.customer_id = k.customer_id AND o.event = 'Order Completed' AND o.t > k.t AND o.t <= k.t + INTERVAL '2 hours')
),
cart_abandoners AS (
    SELECT DISTINCT ca.customer_id
    FROM recent ca
    WHERE ca.event = 'Added to Cart' AND ca.t >= {{ago:24 hours}} AND ca.t <= {{ago:1 hour}}
      AND NOT EXISTS (
        SELECT 1 FROM recent o
        WHERE o.customer_id = ca.customer_id AND o.event = 'Order Completed' AND o.t > ca.t AND o.t <= ca.t + INTERVAL '1 hour')
)
SELECT count(*)
FROM customers c
JOIN abandoned a ON a.customer_id = c.customer_id
WHERE c.customer_id NOT IN (
    SELECT x.customer_id FROM cart_abandoners x JOIN customers cc ON cc.customer_id = x.customer_id
    WHERE cc.email_consent AND cc.email IS NOT NULL)
