-- Three or more app opens in 30 days, more than two sessions, push consent, loyalty points not zero (unknown counts).
SELECT count(*)
FROM customers c
JOIN (
    SELECT customer_id FROM events
    WHERE event IN ('App Opened', 'Page Viewed') AND occurred_at >= {{ago:30 days}} AND occurred_at <= {{as_of}}
    GROUP BY customer_id
    HAVING count(*) FILTER (WHERE event = 'App Opened') >= 3 AND count(*) > 2
) e ON e.customer_id = c.customer_id
WHERE c.push_consent AND (c.loyalty_points <> 0 OR c.loyalty_points IS NULL)
