-- Two or more discounted orders in the last year, some order under 60, average completed order at most 150 (exact).
SELECT count(*)
FROM customers c
JOIN (
    SELECT customer_id
    FROM orders
    GROUP BY customer_id
    HAVING count(*) FILTER (WHERE discount_code IS NOT NULL AND ordered_at >= {{ago:365 days}} AND ordered_at <= {{as_of}}) >= 2
       AND min(total) < 60
       AND count(total) FILTER (WHERE status = 'completed') > 0
       AND sum(total) FILTER (WHERE status = 'completed') <= 150 * count(total) FILTER (WHERE status = 'completed')
) o ON o.customer_id = c.customer_id
