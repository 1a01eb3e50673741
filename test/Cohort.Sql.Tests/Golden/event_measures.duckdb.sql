-- Members of audience 'event_measures'
WITH
  events_1 AS (
    SELECT
      e1.customer_id AS k,
      count(*) FILTER (WHERE e1.event = $1 AND e1.occurred_at >= $2) AS agg1,
      count(*) FILTER (WHERE e1.event IN ($3, $4) AND e1.occurred_at >= $5 AND e1.occurred_at <= $6 AND COALESCE(e1.channel = $7, FALSE)) AS agg2
    FROM events AS e1
    WHERE e1.occurred_at <= $8
      AND e1.occurred_at >= $2
      AND e1.event IN ($1, $3, $4)
      AND (e1.event = $1 AND e1.occurred_at >= $2 OR e1.event IN ($3, $4) AND e1.occurred_at >= $5 AND e1.occurred_at <= $6 AND COALESCE(e1.channel = $7, FALSE))
    GROUP BY e1.customer_id
  ),
  events_2 AS (
    SELECT
      e2.customer_id AS k,
      count(e2.revenue) AS agg1,
      sum(e2.revenue) AS agg2,
      max(e2.occurred_at) AS agg3
    FROM events AS e2
    WHERE e2.occurred_at <= $8
      AND e2.event = $1
    GROUP BY e2.customer_id
  ),
  newsletter_signups_1 AS (
    SELECT
      n1.customer_id AS k,
      count(*) AS agg1
    FROM newsletter_signups AS n1
    WHERE n1.signed_up_at <= $8
    GROUP BY n1.customer_id
  )
SELECT
  p.customer_id AS key
FROM customers AS p
JOIN events_1 ON events_1.k = p.customer_id
JOIN events_2 ON events_2.k = p.customer_id
JOIN newsletter_signups_1 ON newsletter_signups_1.k = p.customer_id
WHERE p.customer_id IS NOT NULL
  AND COALESCE(events_1.agg1, 0) >= $9
  AND COALESCE(events_2.agg1, 0) > 0
  AND COALESCE(events_2.agg1 > 0 AND events_2.agg2 >= CAST($10 AS DECIMAL(18, 0)) * events_2.agg1, FALSE)
  AND COALESCE(events_1.agg2, 0) >= $11
  AND events_2.agg3 IS NOT NULL
  AND COALESCE(events_2.agg3 < $5, FALSE)
  AND COALESCE(newsletter_signups_1.agg1, 0) >= $11

-- $1 = Order Completed (string)
-- $2 = 2026-10-29T12:00:00Z (timestamp)
-- $3 = Page Viewed (string)
-- $4 = Product Viewed (string)
-- $5 = 2026-11-14T12:00:00Z (timestamp)
-- $6 = 2026-11-21T12:00:00Z (timestamp)
-- $7 = web (string)
-- $8 = 2026-11-28T12:00:00Z (timestamp)
-- $9 = 2 (integer)
-- $10 = 50 (decimal)
-- $11 = 1 (integer)
