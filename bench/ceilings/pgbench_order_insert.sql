-- Ceiling: the order-insert transaction of raw_insert_app.py, with no web stack in front.
-- One INSERT for the order, one INSERT for all its lines, one commit. Run by bench/pgbench.py:
--   pgbench -n -M prepared -f pgbench_order_insert.sql -D lines=5 -c 16 -j 2 -T 10 orderyard_bench
-- :lines is the number of order lines; :client_id with a 62-bit random number keeps
-- order_number unique (per-client generators seeded from the clock).
\set n random(1, 4611686018427387903)
BEGIN;
INSERT INTO ceiling_orders (account_id, order_number, shipping_method, store_name, firstname,
                            lastname, address1, city, state, zip, country)
VALUES (1, 'pgb-' || :client_id || '-' || :n, 'Pick', 'My Shop', 'John',
        'Doe', '1 Main St', 'LA', 'CA', '90001', 'USA')
RETURNING id AS order_id \gset
INSERT INTO ceiling_order_lines (order_id, line_no, sku, quantity, sold_price)
SELECT :order_id, g, 'B-' || g, 1, 9.99 FROM generate_series(1, :lines) AS g;
END;
