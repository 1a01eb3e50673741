-- Two or more completed orders containing a product in the shoes category.
SELECT count(*)
FROM customers c
JOIN (
    SELECT o.customer_id
    FROM orders o
    WHERE o.status = 'completed' AND o.order_id IN (
        SELECT oi.order_id FROM order_items oi
        JOIN products p ON p.product_id = oi.product_id
        JOIN categories cat ON cat.category_id = p.category_id
        WHERE cat.name = 'shoes')
    GROUP BY o.customer_id
    HAVING count(*) >= 2
) s ON s.customer_id = c.customer_id
