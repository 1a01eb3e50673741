-- Example data for the shop project. Times are relative to the moment the script runs, so the example
-- audiences stay meaningful whenever it is opened. Runs on DuckDB and PostgreSQL.
CREATE TABLE customers (
    customer_id INTEGER PRIMARY KEY,
    first_name VARCHAR,
    email VARCHAR,
    phone VARCHAR,
    country VARCHAR,
    plan VARCHAR,
    birthday DATE,
    signup_at TIMESTAMP,
    email_consent BOOLEAN,
    tags VARCHAR[]
);
INSERT INTO customers VALUES
    (1, 'Ada', 'ada@example.com', '+44 20 7946 0001', 'GB', 'pro', CAST(CAST(current_timestamp AS TIMESTAMP) + INTERVAL '3 days' - INTERVAL '30 years' AS DATE), CAST(current_timestamp AS TIMESTAMP) - INTERVAL '400 days', TRUE, ARRAY['vip', 'beta']),
    (2, 'Bo', 'bo@example.com', NULL, 'US', 'free', DATE '1990-01-15', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '200 days', TRUE, ARRAY['beta']),
    (3, 'Cy', 'cy@example.com', '+1 415 555 0103', 'US', 'enterprise', DATE '1985-07-04', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '900 days', FALSE, NULL),
    (4, 'Di', NULL, '+49 30 901820', 'DE', 'pro', NULL, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '20 days', NULL, ARRAY['newsletter']),
    (5, 'Ed', 'ed@example.com', NULL, 'FR', 'free', DATE '2000-02-29', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '45 days', TRUE, ARRAY[]::VARCHAR[]),
    (6, 'Flo', 'flo@example.com', '+44 7700 900006', 'GB', 'free', DATE '1979-11-30', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '5 days', TRUE, NULL),
    (7, 'Gus', 'gus@example.com', NULL, 'US', 'pro', DATE '1995-05-05', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '700 days', TRUE, ARRAY['vip']),
    (8, 'Hal', 'hal@example.com', NULL, NULL, 'free', NULL, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '2 days', FALSE, NULL);

CREATE TABLE products (
    product_id INTEGER PRIMARY KEY,
    name VARCHAR,
    category VARCHAR,
    price DECIMAL(12, 2)
);
INSERT INTO products VALUES
    (1, 'Trail runner', 'shoes', 120.00),
    (2, 'City sneaker', 'shoes', 90.00),
    (3, 'Sun hat', 'hats', 35.00),
    (4, 'Tote', 'bags', 60.00);

CREATE TABLE orders (
    order_id INTEGER PRIMARY KEY,
    customer_id INTEGER,
    ordered_at TIMESTAMP,
    total DECIMAL(12, 2),
    status VARCHAR
);
INSERT INTO orders VALUES
    (101, 1, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '300 days', 240.00, 'completed'),
    (102, 1, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '120 days', 210.00, 'completed'),
    (103, 1, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '100 days', 95.00, 'completed'),
    (104, 2, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '10 days', 35.00, 'completed'),
    (105, 3, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '15 days', 600.00, 'completed'),
    (106, 3, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '14 days', 60.00, 'refunded'),
    (107, 7, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '400 days', 180.00, 'completed'),
    (108, 7, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '380 days', 120.00, 'completed');

CREATE TABLE order_items (
    order_id INTEGER,
    product_id INTEGER,
    quantity INTEGER
);
INSERT INTO order_items VALUES
    (101, 1, 2), (102, 2, 1), (102, 3, 1), (103, 2, 1),
    (104, 3, 1), (105, 1, 5), (106, 4, 1), (107, 1, 1), (108, 2, 1), (108, 2, 1);

CREATE TABLE events (
    customer_id INTEGER,
    event VARCHAR,
    occurred_at TIMESTAMP,
    revenue DECIMAL(12, 2),
    channel VARCHAR
);
INSERT INTO events VALUES
    (1, 'Product Viewed', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '100 days 2 hours', NULL, 'web'),
    (1, 'Order Completed', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '100 days', 95.00, 'web'),
    (2, 'Product Viewed', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '10 days 1 hour', NULL, 'app'),
    (2, 'Added to Cart', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '10 days 30 minutes', NULL, 'app'),
    (2, 'Order Completed', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '10 days', 35.00, 'app'),
    (3, 'Order Completed', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '15 days', 600.00, 'web'),
    (4, 'Product Viewed', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '6 hours', NULL, 'web'),
    (4, 'Added to Cart', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '5 hours', NULL, 'web'),
    (5, 'Added to Cart', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '3 hours', NULL, 'app'),
    (5, 'Order Completed', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '2 hours 30 minutes', 0.00, 'app'),
    (6, 'Email Opened', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '1 day', NULL, 'email'),
    (6, 'Email Opened', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '3 days', NULL, 'email'),
    (6, 'Page Viewed', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '2 days', NULL, 'web'),
    (8, 'Added to Cart', CAST(current_timestamp AS TIMESTAMP) - INTERVAL '20 minutes', NULL, 'web');

CREATE TABLE newsletter_signups (
    customer_id INTEGER,
    signed_up_at TIMESTAMP,
    source VARCHAR
);
INSERT INTO newsletter_signups VALUES
    (4, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '19 days', 'footer'),
    (6, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '4 days', 'popup'),
    (1, CAST(current_timestamp AS TIMESTAMP) - INTERVAL '390 days', 'checkout');
