-- Two or more completed orders, the last over 60 days ago, no visit in 30 days, and weak email engagement.
WITH o AS (
    SELECT customer_id, count(*) AS n, max(ordered_at) AS last_at
    FROM orders
    WHERE status = 'completed'
    GROUP BY customer_id
    HAVING count(*) >= 2 AND max(ordered_at) < {{ago:60 days}}
),
e AS (
    SELECT customer_id,
           count(*) FILTER (WHERE event IN ('Page Viewed', 'App Opened') AND occurred_at >= {{ago:30 days}}) AS visits_30d,
           count(*) FILTER (WHERE event IN ('Email Opened', 'Email Clicked')) AS email_90d,
           count(*) FILTER (WHERE event = 'Email Clicked') AS clicks_90d
    FROM events
    WHERE occurred_at >= {{ago:90 days}} AND occurred_at <= {{as_of}}
      AND event IN ('Page Viewed', 'App Opened', 'Email Opened', 'Email Clicked')
    GROUP BY customer_id
)
SELECT count(*)
FROM customers c
JOIN o ON o.customer_id = c.customer_id
LEFT JOIN e ON e.customer_id = c.customer_id
WHERE coalesce(e.visits_30d, 0) = 0
  AND (coalesce(e.email_90d, 0) < 3 OR c.email_consent = FALSE OR coalesce(e.clicks_90d, 0) <= 1)
