-- Members of audience 'memberships'
WITH
  orders_1 AS (
    SELECT
      o1.customer_id AS k,
      sum(o1.total) AS agg1
    FROM orders AS o1
    WHERE COALESCE(o1.status = $1, FALSE)
    GROUP BY o1.customer_id
  ),
  events_1 AS (
    SELECT
      e1.customer_id AS k,
      count(*) AS agg1
    FROM events AS e1
    WHERE e1.occurred_at <= $2
      AND e1.event = $3
      AND e1.occurred_at >= $4
    GROUP BY e1.customer_id
  ),
  sequence_1_events AS NOT MATERIALIZED (
    SELECT
      s1.customer_id AS customer_id,
      s1.event AS event,
      s1.occurred_at AS occurred_at
    FROM events AS s1
    WHERE s1.occurred_at <= $2
      AND s1.occurred_at >= $5
      AND (s1.event = $6 OR s1.event = $3)
  ),
  sequence_1_step1 AS (
    SELECT
      e2.customer_id AS k,
      CAST(e2.occurred_at AS TIMESTAMP) AS t,
      CAST(e2.occurred_at AS TIMESTAMP) AS l
    FROM sequence_1_events AS e2
    WHERE e2.occurred_at <= $2
      AND e2.event = $6
      AND e2.occurred_at >= $5
  ),
  sequence_1_ends AS (
    SELECT
      sequence_1_step1.k AS k,
      sequence_1_step1.t AS t
    FROM sequence_1_step1
    WHERE sequence_1_step1.t <= $7
  ),
  sequence_1_follow_ups AS (
    SELECT
      e3.customer_id AS k,
      CAST(e3.occurred_at AS TIMESTAMP) AS t
    FROM sequence_1_events AS e3
    WHERE e3.occurred_at <= $2
      AND e3.event = $3
      AND e3.occurred_at >= $5
  ),
  sequence_1 AS (
    SELECT DISTINCT
      n1.k AS k
    FROM (
      SELECT
        u1.k AS k,
        u1.t AS t,
        u1.is_end AS is_end,
        min(CASE WHEN u1.is_end THEN NULL ELSE u1.t END) OVER (PARTITION BY u1.k ORDER BY u1.t ASC NULLS LAST RANGE BETWEEN $8 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_t
      FROM (
        SELECT
          k,
          t,
          TRUE AS is_end
        FROM sequence_1_ends
        UNION ALL
        SELECT
          k,
          t,
          FALSE AS is_end
        FROM sequence_1_follow_ups
      ) AS u1
    ) AS n1
    WHERE n1.is_end
      AND (n1.next_t IS NULL OR n1.next_t > (n1.t + $9))
  ),
  audience_memberships_1 AS MATERIALIZED (
    SELECT
      m1.customer_id AS key
    FROM customers AS m1
    LEFT JOIN orders_1 ON orders_1.k = m1.customer_id
    LEFT JOIN events_1 ON events_1.k = m1.customer_id
    LEFT JOIN sequence_1 ON sequence_1.k = m1.customer_id
    WHERE m1.customer_id IS NOT NULL
      AND COALESCE(orders_1.agg1, 0) >= $10
      AND NOT COALESCE(events_1.agg1, 0) >= $11
      AND sequence_1.k IS NULL
    ORDER BY COALESCE(orders_1.agg1, 0) DESC NULLS LAST, m1.customer_id ASC NULLS LAST
    LIMIT 100
  )
SELECT
  p.customer_id AS key,
  CASE WHEN (CAST(CAST('x' || substr(md5($12 || ':' || CAST(p.customer_id AS TEXT)), 1, 8) AS BIT(32)) AS BIGINT) % 10000) < 9000 THEN $13 ELSE $14 END AS split_group
FROM customers AS p
JOIN audience_memberships_1 ON audience_memberships_1.key = p.customer_id
WHERE p.customer_id IS NOT NULL
  AND audience_memberships_1.key IS NOT NULL

-- $1 = completed (string)
-- $2 = 2026-11-28T12:00:00Z (timestamp)
-- $3 = Order Completed (string)
-- $4 = 2026-10-29T12:00:00Z (timestamp)
-- $5 = 2026-11-27T12:00:00Z (timestamp)
-- $6 = Added to Cart (string)
-- $7 = 2026-11-28T11:00:00Z (timestamp)
-- $8 = 00:00:00.0000010 (interval)
-- $9 = 01:00:00 (interval)
-- $10 = 500 (decimal)
-- $11 = 1 (integer)
-- $12 = q4 (string)
-- $13 = treatment (string)
-- $14 = holdout (string)
