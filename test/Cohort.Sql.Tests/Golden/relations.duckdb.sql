-- Members of audience 'relations'
WITH
  products_1 AS (
    SELECT
      r1.k AS k,
      count(*) AS agg1
    FROM (
      SELECT
        o2.order_id AS k,
        p1.product_id AS end_key
      FROM order_items AS o2
      JOIN products AS p1 ON p1.product_id = o2.product_id
    ) AS r1
    JOIN products AS p2 ON p2.product_id = r1.end_key
    WHERE COALESCE(p2.category = $1, FALSE)
    GROUP BY r1.k
  ),
  orders_1 AS (
    SELECT
      o1.customer_id AS k,
      count(*) FILTER (WHERE COALESCE(products_1.agg1, 0) >= $2) AS agg1
    FROM orders AS o1
    JOIN products_1 ON products_1.k = o1.order_id
    WHERE COALESCE(o1.status = $3, FALSE)
    GROUP BY o1.customer_id
  ),
  orders_2 AS (
    SELECT
      o3.customer_id AS k,
      sum(o3.total) AS agg1
    FROM orders AS o3
    WHERE o3.ordered_at <= $4
      AND o3.ordered_at >= $5
    GROUP BY o3.customer_id
  ),
  products_2 AS (
    SELECT
      r2.k AS k,
      count(*) AS agg1
    FROM (
      SELECT DISTINCT
        o4.customer_id AS k,
        p3.product_id AS end_key
      FROM orders AS o4
      JOIN order_items AS o5 ON o5.order_id = o4.order_id
      JOIN products AS p3 ON p3.product_id = o5.product_id
    ) AS r2
    JOIN products AS p4 ON p4.product_id = r2.end_key
    GROUP BY r2.k
  )
SELECT
  p.customer_id AS key
FROM customers AS p
JOIN orders_1 ON orders_1.k = p.customer_id
JOIN orders_2 ON orders_2.k = p.customer_id
JOIN products_2 ON products_2.k = p.customer_id
WHERE p.customer_id IS NOT NULL
  AND COALESCE(orders_1.agg1, 0) >= $6
  AND COALESCE(orders_2.agg1, 0) >= CAST($7 AS DECIMAL(18, 0))
  AND COALESCE(products_2.agg1, 0) >= $2
  AND COALESCE(products_2.agg1, 0) <= $8

-- $1 = shoes (string)
-- $2 = 1 (integer)
-- $3 = completed (string)
-- $4 = 2026-11-28T12:00:00Z (timestamp)
-- $5 = 2025-11-28T12:00:00Z (timestamp)
-- $6 = 2 (integer)
-- $7 = 500 (decimal)
-- $8 = 3 (integer)
