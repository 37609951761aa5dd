-- A desk sale's id, given when its cart opens (or when quick sell is pressed): completing the same sale
-- again, after a double key press, a network retry or a reload, answers with the order it already made.
CREATE TABLE desk_sales (
  sale_id TEXT PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  change TEXT,
  created TEXT NOT NULL
);
CREATE INDEX desk_sales_order ON desk_sales(order_id);

-- How money moved at the desk: cash, card or other. Box-office payments and refunds say it in pretix's
-- `info.payment_type`; everything else (bank transfer, free, manual, a script's provider) is "other".
ALTER TABLE order_payments ADD COLUMN method TEXT GENERATED ALWAYS AS (
  CASE WHEN provider = 'boxoffice' AND json_valid(info) AND json_extract(info, '$.payment_type') IN ('cash', 'card')
    THEN json_extract(info, '$.payment_type') ELSE 'other' END
) VIRTUAL;
ALTER TABLE order_refunds ADD COLUMN method TEXT GENERATED ALWAYS AS (
  CASE WHEN provider = 'boxoffice' AND json_valid(info) AND json_extract(info, '$.payment_type') IN ('cash', 'card')
    THEN json_extract(info, '$.payment_type') ELSE 'other' END
) VIRTUAL;
CREATE INDEX order_payments_date ON order_payments(payment_date);
CREATE INDEX order_refunds_execution_date ON order_refunds(execution_date);
