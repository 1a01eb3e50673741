-- One to three completed orders, last completed-order event over 180 days ago, email consent, not a lapsed VIP,
-- not at churn risk; the 500 with the highest lifetime value.
WITH completed AS (
    SELECT customer_id, count(*) AS n, sum(total) AS value, max(ordered_at) AS last_at
    FROM orders WHERE status = 'completed' GROUP BY customer_id
),
order_events AS (
    SELECT customer_id, max(occurred_at) AS last_at
    FROM events WHERE event = 'Order Completed' AND occurred_at <= {{as_of}}
    GROUP BY customer_id
),
engagement AS (
    SELECT customer_id,
           count(*) FILTER (WHERE event IN ('Page Viewed', 'App Opened') AND occurred_at >= {{ago:30 days}}) AS visits_30d,
           count(*) FILTER (WHERE event IN ('Email Opened', 'Email Clicked')) AS email_90d,
           count(*) FILTER (WHERE event = 'Email Clicked') AS clicks_90d
    FROM events
    WHERE occurred_at >= {{ago:90 days}} AND occurred_at <= {{as_of}}
      AND event IN ('Page Viewed', 'App Opened', 'Email Opened', 'Email Clicked')
    GROUP BY customer_id
),
candidates AS (
    SELECT c.customer_id, coalesce(co.value, 0) AS value
    FROM customers c
    JOIN completed co ON co.customer_id = c.customer_id
    JOIN order_events oe ON oe.customer_id = c.customer_id
    LEFT JOIN engagement en ON en.customer_id = c.customer_id
    WHERE co.n BETWEEN 1 AND 3
      AND oe.last_at < {{ago:180 days}}
      AND c.email_consent
      -- not a lapsed VIP: high value with the last order event 90 to 365 days ago
      AND NOT (co.value >= 1000 AND co.n >= 3 AND oe.last_at >= {{ago:365 days}} AND oe.last_at < {{ago:90 days}})
      -- not at churn risk
      AND NOT (co.n >= 2 AND co.last_at < {{ago:60 days}} AND coalesce(en.visits_30d, 0) = 0
               AND (coalesce(en.email_90d, 0) < 3 OR c.email_consent = FALSE OR coalesce(en.clicks_90d, 0) <= 1))
)
SELECT count(*) FROM (SELECT customer_id FROM candidates ORDER BY value DESC, customer_id LIMIT 500) top
