-- Members of audience 'property_operators'
SELECT
  p.customer_id AS key
FROM customers AS p
WHERE p.customer_id IS NOT NULL
  AND COALESCE(p.country IN ($1, $2), FALSE)
  AND COALESCE(right(p.email, length($3)) = $3, FALSE)
  AND NOT COALESCE(p.plan = $4, FALSE)
  AND COALESCE(p.signup_at >= $5 AND p.signup_at <= $6, FALSE)
  AND COALESCE(CAST(extract(month FROM p.birthday) * 100 + extract(day FROM p.birthday) AS INTEGER) >= $7 AND CAST(extract(month FROM p.birthday) * 100 + extract(day FROM p.birthday) AS INTEGER) <= $8, FALSE)
  AND COALESCE(CAST(extract(isodow FROM CAST((CAST(p.signup_at AS TIMESTAMP) AT TIME ZONE 'UTC') AT TIME ZONE $9 AS DATE)) AS INTEGER) IN ($10, $11), FALSE)
  AND COALESCE((CAST(p.tags AS TEXT[]) && ARRAY[$12, $13]), FALSE)
  AND COALESCE(p.email_consent = TRUE, FALSE)

-- $1 = GB (string)
-- $2 = US (string)
-- $3 = .com (string)
-- $4 = free (string)
-- $5 = 2024-11-28T12:00:00Z (timestamp)
-- $6 = 2026-11-28T12:00:00Z (timestamp)
-- $7 = 1128 (integer)
-- $8 = 1205 (integer)
-- $9 = Europe/London (string)
-- $10 = 7 (integer)
-- $11 = 6 (integer)
-- $12 = vip (string)
-- $13 = beta (string)
