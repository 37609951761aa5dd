-- pretix filters orders by e-mail case-insensitively (`?email=` is iexact); index the lowered address per
-- event so that lookup stays an index seek however many orders there are.
CREATE INDEX orders_event_email_lower ON orders(event_id, LOWER(email));
