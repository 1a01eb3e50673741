-- Members of audience 'traits'
WITH
  orders_1 AS (
    SELECT
      o1.customer_id AS k,
      sum(o1.total) FILTER (WHERE COALESCE(o1.status = $1, FALSE)) AS agg1,
      sum(o1.total) AS agg2,
      count(o1.total) AS agg3
    FROM orders AS o1
    GROUP BY o1.customer_id
  ),
  most_frequent_favourite_category_1 AS (
    SELECT
      r3.k AS k,
      r3.v AS v
    FROM (
      SELECT
        r1.k AS k,
        p2.category AS v,
        row_number() OVER (PARTITION BY r1.k ORDER BY count(*) DESC NULLS LAST, (p2.category COLLATE "C") ASC NULLS LAST) AS rn
      FROM (
        SELECT DISTINCT
          o2.customer_id AS k,
          p1.product_id AS end_key
        FROM orders AS o2
        JOIN order_items AS o3 ON o3.order_id = o2.order_id
        JOIN products AS p1 ON p1.product_id = o3.product_id
      ) AS r1
      JOIN products AS p2 ON p2.product_id = r1.end_key
      WHERE p2.category IS NOT NULL
      GROUP BY r1.k, p2.category
    ) AS r3
    WHERE r3.rn = 1
  ),
  products_1 AS (
    SELECT
      r2.k AS k,
      array_agg(DISTINCT (p4.category COLLATE "C") ORDER BY (p4.category COLLATE "C")) AS agg1
    FROM (
      SELECT
        o4.customer_id AS k,
        p3.product_id AS end_key
      FROM orders AS o4
      JOIN order_items AS o5 ON o5.order_id = o4.order_id
      JOIN products AS p3 ON p3.product_id = o5.product_id
    ) AS r2
    JOIN products AS p4 ON p4.product_id = r2.end_key
    WHERE p4.category IS NOT NULL
    GROUP BY r2.k
  ),
  events_1 AS (
    SELECT
      e1.customer_id AS k,
      (array_agg(e1.channel ORDER BY e1.occurred_at DESC NULLS LAST, (e1.channel COLLATE "C") ASC NULLS LAST))[1] AS agg1
    FROM events AS e1
    WHERE e1.occurred_at <= $2
      AND e1.channel IS NOT NULL
      AND e1.occurred_at IS NOT NULL
    GROUP BY e1.customer_id
  )
SELECT
  p.customer_id AS key
FROM customers AS p
JOIN orders_1 ON orders_1.k = p.customer_id
JOIN most_frequent_favourite_category_1 ON most_frequent_favourite_category_1.k = p.customer_id
LEFT JOIN products_1 ON products_1.k = p.customer_id
LEFT JOIN events_1 ON events_1.k = p.customer_id
WHERE p.customer_id IS NOT NULL
  AND COALESCE(orders_1.agg1, 0) >= $3
  AND COALESCE(orders_1.agg3 > 0 AND orders_1.agg2 >= $4 * orders_1.agg3 AND orders_1.agg2 <= $5 * orders_1.agg3, FALSE)
  AND COALESCE(most_frequent_favourite_category_1.v = $6, FALSE)
  AND COALESCE((CAST(products_1.agg1 AS TEXT[]) @> ARRAY[$6, $7]), FALSE)
  AND COALESCE(events_1.agg1 IN ($8, $9), FALSE)

-- $1 = completed (string)
-- $2 = 2026-11-28T12:00:00Z (timestamp)
-- $3 = 500 (decimal)
-- $4 = 50 (decimal)
-- $5 = 200 (decimal)
-- $6 = shoes (string)
-- $7 = hats (string)
-- $8 = web (string)
-- $9 = app (string)
