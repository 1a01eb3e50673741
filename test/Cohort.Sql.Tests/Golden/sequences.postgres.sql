-- Members of audience 'sequences'
WITH
  sequence_1_events AS NOT MATERIALIZED (
    SELECT
      s1.customer_id AS customer_id,
      s1.event AS event,
      s1.occurred_at AS occurred_at
    FROM events AS s1
    WHERE s1.occurred_at <= $1
      AND s1.occurred_at >= $2
      AND (s1.event = $3 OR s1.event = $4 OR s1.event = $5)
  ),
  sequence_1_step1 AS (
    SELECT
      e1.customer_id AS k,
      CAST(e1.occurred_at AS TIMESTAMP) AS t,
      CAST(e1.occurred_at AS TIMESTAMP) AS l
    FROM sequence_1_events AS e1
    WHERE e1.occurred_at <= $1
      AND e1.event = $3
      AND e1.occurred_at >= $2
  ),
  sequence_1_candidates2 AS (
    SELECT
      e2.customer_id AS k,
      CAST(e2.occurred_at AS TIMESTAMP) AS t
    FROM sequence_1_events AS e2
    WHERE e2.occurred_at <= $1
      AND e2.event = $4
      AND e2.occurred_at >= $2
  ),
  sequence_1_step2 AS (
    SELECT
      w1.k AS k,
      w1.t AS t,
      w1.l AS l
    FROM (
      SELECT
        u1.k AS k,
        u1.t AS t,
        u1.is_step AS is_step,
        max(u1.l) OVER (PARTITION BY u1.k ORDER BY u1.t ASC NULLS LAST RANGE BETWEEN $6 PRECEDING AND $7 PRECEDING) AS l
      FROM (
        SELECT
          k,
          t,
          l,
          FALSE AS is_step
        FROM sequence_1_step1
        UNION ALL
        SELECT
          k,
          t,
          CAST(NULL AS TIMESTAMP) AS l,
          TRUE AS is_step
        FROM sequence_1_candidates2
      ) AS u1
    ) AS w1
    WHERE w1.is_step
      AND w1.l IS NOT NULL
  ),
  sequence_1_candidates3 AS (
    SELECT
      e3.customer_id AS k,
      CAST(e3.occurred_at AS TIMESTAMP) AS t
    FROM sequence_1_events AS e3
    WHERE e3.occurred_at <= $1
      AND e3.event = $5
      AND e3.occurred_at >= $2
  ),
  sequence_1_step3 AS (
    SELECT
      w2.k AS k,
      w2.t AS t,
      w2.l AS l
    FROM (
      SELECT
        u2.k AS k,
        u2.t AS t,
        u2.is_step AS is_step,
        max(u2.l) OVER (PARTITION BY u2.k ORDER BY u2.t ASC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND $7 PRECEDING) AS l
      FROM (
        SELECT
          k,
          t,
          l,
          FALSE AS is_step
        FROM sequence_1_step2
        UNION ALL
        SELECT
          k,
          t,
          CAST(NULL AS TIMESTAMP) AS l,
          TRUE AS is_step
        FROM sequence_1_candidates3
      ) AS u2
    ) AS w2
    WHERE w2.is_step
      AND w2.l IS NOT NULL
  ),
  sequence_1 AS (
    SELECT DISTINCT
      sequence_1_step3.k AS k
    FROM sequence_1_step3
    WHERE sequence_1_step3.t <= (sequence_1_step3.l + $8)
  ),
  sequence_2_events AS NOT MATERIALIZED (
    SELECT
      s2.customer_id AS customer_id,
      s2.event AS event,
      s2.occurred_at AS occurred_at
    FROM events AS s2
    WHERE s2.occurred_at <= $1
      AND s2.occurred_at >= $9
      AND (s2.event = $4 OR s2.event = $5)
  ),
  sequence_2_step1 AS (
    SELECT
      e4.customer_id AS k,
      CAST(e4.occurred_at AS TIMESTAMP) AS t,
      CAST(e4.occurred_at AS TIMESTAMP) AS l
    FROM sequence_2_events AS e4
    WHERE e4.occurred_at <= $1
      AND e4.event = $4
      AND e4.occurred_at >= $9
  ),
  sequence_2_ends AS (
    SELECT
      sequence_2_step1.k AS k,
      sequence_2_step1.t AS t
    FROM sequence_2_step1
    WHERE sequence_2_step1.t <= $10
  ),
  sequence_2_follow_ups AS (
    SELECT
      e5.customer_id AS k,
      CAST(e5.occurred_at AS TIMESTAMP) AS t
    FROM sequence_2_events AS e5
    WHERE e5.occurred_at <= $1
      AND e5.event = $5
      AND e5.occurred_at >= $9
  ),
  sequence_2 AS (
    SELECT DISTINCT
      n1.k AS k
    FROM (
      SELECT
        u3.k AS k,
        u3.t AS t,
        u3.is_end AS is_end,
        min(CASE WHEN u3.is_end THEN NULL ELSE u3.t END) OVER (PARTITION BY u3.k ORDER BY u3.t ASC NULLS LAST RANGE BETWEEN $7 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_t
      FROM (
        SELECT
          k,
          t,
          TRUE AS is_end
        FROM sequence_2_ends
        UNION ALL
        SELECT
          k,
          t,
          FALSE AS is_end
        FROM sequence_2_follow_ups
      ) AS u3
    ) AS n1
    WHERE n1.is_end
      AND (n1.next_t IS NULL OR n1.next_t > (n1.t + $6))
  )
SELECT
  p.customer_id AS key
FROM customers AS p
LEFT JOIN sequence_1 ON sequence_1.k = p.customer_id
LEFT JOIN sequence_2 ON sequence_2.k = p.customer_id
WHERE p.customer_id IS NOT NULL
  AND (sequence_1.k IS NOT NULL OR sequence_2.k IS NOT NULL)

-- $1 = 2026-11-28T12:00:00Z (timestamp)
-- $2 = 2026-10-29T12:00:00Z (timestamp)
-- $3 = Product Viewed (string)
-- $4 = Added to Cart (string)
-- $5 = Order Completed (string)
-- $6 = 01:00:00 (interval)
-- $7 = 00:00:00.0000010 (interval)
-- $8 = 1.00:00:00 (interval)
-- $9 = 2026-11-27T12:00:00Z (timestamp)
-- $10 = 2026-11-28T11:00:00Z (timestamp)
