-- Signed up over two years ago, no phone, and one sign of breadth or enthusiasm.
WITH bought AS (
    SELECT DISTINCT o.customer_id, p.product_id, p.category_id
    FROM orders o
    JOIN order_items oi ON oi.order_id = o.order_id
    JOIN products p ON p.product_id = oi.product_id
),
breadth AS (
    SELECT b.customer_id,
           count(DISTINCT cat.category_id) AS categories,
           count(DISTINCT b.product_id) AS products,
           bool_or(cat.name = 'outdoors') AS outdoors
    FROM bought b
    LEFT JOIN categories cat ON cat.category_id = b.category_id
    GROUP BY b.customer_id
),
favourite AS (
    SELECT customer_id, category
    FROM (
        SELECT customer_id, category,
               row_number() OVER (PARTITION BY customer_id ORDER BY count(*) DESC, category {{binary_collation}}) AS rn
        FROM events
        WHERE event = 'Order Completed' AND occurred_at <= {{as_of}} AND category IS NOT NULL
        GROUP BY customer_id, category
    ) ranked
    WHERE rn = 1
)
SELECT count(*)
FROM customers c
LEFT JOIN breadth b ON b.customer_id = c.customer_id
LEFT JOIN favourite f ON f.customer_id = c.customer_id
WHERE c.signup_at < {{day:two_years_ago}}
  AND c.phone IS NULL
  AND (({{array_has:c.tags:'beta'}} AND {{array_has:c.tags:'vip'}})
       OR b.categories >= 4 OR b.products >= 8 OR f.category = 'electronics' OR b.outdoors)
