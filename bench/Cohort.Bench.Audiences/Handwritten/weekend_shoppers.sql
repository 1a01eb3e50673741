-- Two to ten completed orders placed on a Saturday or Sunday (UTC), and an average order of 40 to 400 (exact).
SELECT count(*)
FROM customers c
JOIN (
    SELECT customer_id FROM events
    WHERE event = 'Order Completed' AND occurred_at <= {{as_of}} AND {{iso_dow:occurred_at}} IN (6, 7)
    GROUP BY customer_id
    HAVING count(*) BETWEEN 2 AND 10
) w ON w.customer_id = c.customer_id
JOIN (
    SELECT customer_id FROM orders
    GROUP BY customer_id
    HAVING count(total) > 0 AND sum(total) >= 40 * count(total) AND sum(total) <= 400 * count(total)
) a ON a.customer_id = c.customer_id
