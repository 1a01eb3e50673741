-- Birthday (month-day) within the next 7 days, 29 February celebrated on 28 February in common years; email consent.
SELECT count(*)
FROM customers
WHERE email_consent AND {{month_day:birthday}} IN ({{month_days_ahead:7}})
