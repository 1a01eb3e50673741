-- An active subscription renewing within the next 7 days.
SELECT count(*)
FROM customers c
WHERE c.customer_id IN (
    SELECT customer_id FROM subscriptions
    WHERE status = 'active' AND renews_at >= {{as_of}} AND renews_at <= {{ahead:7 days}})
