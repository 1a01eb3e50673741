-- UK mobiles with SMS consent and a postcode, not acquired through affiliates (unknown channel included).
SELECT count(*)
FROM customers
WHERE country = 'GB'
  AND starts_with(phone, '+447')
  AND sms_consent
  AND postal_code IS NOT NULL
  AND (acquisition_channel <> 'affiliate' OR acquisition_channel IS NULL)
