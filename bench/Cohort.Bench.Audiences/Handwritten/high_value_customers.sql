-- Completed orders worth 1000 or more in total, and at least three of them.
SELECT count(*)
FROM customers c
JOIN (
    SELECT customer_id FROM orders
    WHERE status = 'completed'
    GROUP BY customer_id
    HAVING sum(total) >= 1000 AND count(*) >= 3
) o ON o.customer_id = c.customer_id
