-- Bought between Black Friday and Cyber Monday (whole days, UTC) having signed up before, or signed up on Black Friday.
SELECT count(*)
FROM customers c
WHERE (c.signup_at >= {{day:black_friday}} AND c.signup_at < {{day:black_friday+1}})
   OR (c.signup_at < {{day:black_friday}} AND c.customer_id IN (
        SELECT customer_id FROM events
        WHERE event = 'Order Completed' AND occurred_at >= {{day:black_friday}} AND occurred_at < {{day:cyber_monday+1}}
          AND occurred_at <= {{as_of}}))
