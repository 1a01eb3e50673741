-- Subscribed to the newsletter, opened or clicked two emails in 30 days, never completed an order.
SELECT count(*)
FROM customers c
WHERE c.customer_id IN (
        SELECT customer_id FROM newsletter_subscribers
        WHERE status = 'subscribed' AND subscribed_at <= {{as_of}})
  AND c.customer_id IN (
        SELECT customer_id FROM events
        WHERE event IN ('Email Opened', 'Email Clicked') AND occurred_at >= {{ago:30 days}} AND occurred_at <= {{as_of}}
        GROUP BY customer_id HAVING count(*) >= 2)
  AND NOT EXISTS (
        SELECT 1 FROM events e
        WHERE e.customer_id = c.customer_id AND e.event = 'Order Completed' AND e.occurred_at <= {{as_of}})
