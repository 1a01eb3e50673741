-- Order Completed in 30 days: sum(revenue) >= 300 and max(revenue) >= 150; plan plus/premium or tagged vip.
SELECT count(*)
FROM customers c
JOIN (
    SELECT customer_id
    FROM events
    WHERE event = 'Order Completed' AND occurred_at >= {{ago:30 days}} AND occurred_at <= {{as_of}}
    GROUP BY customer_id
    HAVING sum(revenue) >= 300 AND max(revenue) >= 150
) e ON e.customer_id = c.customer_id
WHERE c.plan IN ('plus', 'premium') OR {{array_has:c.tags:'vip'}}
