-- Signed up in the last 14 days, first visit in the last 14 days, a usable email, no completed order.
SELECT count(*)
FROM customers c
JOIN (
    SELECT customer_id FROM events
    WHERE event IN ('Page Viewed', 'App Opened') AND occurred_at <= {{as_of}}
    GROUP BY customer_id
    HAVING min(occurred_at) >= {{ago:14 days}}
) first_visit ON first_visit.customer_id = c.customer_id
WHERE c.signup_at >= {{ago:14 days}} AND c.signup_at <= {{as_of}}
  AND c.email IS NOT NULL
  AND strpos(c.email, '+') = 0
  AND NOT c.email LIKE '%.example'
  AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.status = 'completed')
