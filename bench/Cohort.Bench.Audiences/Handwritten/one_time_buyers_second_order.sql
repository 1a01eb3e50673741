-- Exactly one completed order; exactly one order 30 to 90 days ago; first order in the last 120 days; outside the
-- US and Canada (unknown country included); signed up after two years ago (the whole day); an email with '@'.
SELECT count(*)
FROM customers c
JOIN (
    SELECT customer_id FROM orders
    GROUP BY customer_id
    HAVING count(*) FILTER (WHERE status = 'completed') = 1
       AND count(*) FILTER (WHERE ordered_at >= {{ago:90 days}} AND ordered_at <= {{ago:30 days}}) = 1
       AND min(ordered_at) >= {{ago:120 days}} AND min(ordered_at) <= {{as_of}}
) o ON o.customer_id = c.customer_id
WHERE (c.country NOT IN ('US', 'CA') OR c.country IS NULL)
  AND c.signup_at >= {{day:two_years_ago+1}}
  AND strpos(c.email, '@') > 0
