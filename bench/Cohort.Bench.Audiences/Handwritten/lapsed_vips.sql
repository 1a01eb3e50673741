-- High-value customers whose last completed-order event was 90 to 365 days ago (so none in the last 90 days).
SELECT count(*)
FROM customers c
JOIN (
    SELECT customer_id FROM orders
    WHERE status = 'completed'
    GROUP BY customer_id
    HAVING sum(total) >= 1000 AND count(*) >= 3
) hv ON hv.customer_id = c.customer_id
JOIN (
    SELECT customer_id FROM events
    WHERE event = 'Order Completed' AND occurred_at <= {{as_of}}
    GROUP BY customer_id
    HAVING max(occurred_at) >= {{ago:365 days}} AND max(occurred_at) < {{ago:90 days}}
) last_order ON last_order.customer_id = c.customer_id
