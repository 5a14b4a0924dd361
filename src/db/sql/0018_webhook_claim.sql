-- Webhook delivery by several hanna serve processes on one database (src/providers/webhook.c;
-- docs/operations.md, Webhooks). Before posting an event, a delivery thread claims it for a
-- lease: claimed_until (epoch seconds) and claimed_by (the process: host/pid/random hex, made
-- when delivery starts). A process claims only an undelivered, due event whose lease is absent
-- or past, and applies the outcome of its post only while claimed_by still names it; recording
-- the outcome clears claimed_until and leaves claimed_by naming the process of the last
-- attempt. The delivery thread's look for due events filters on claimed_until among the rows
-- that order_events_pending (delivered_at, next_attempt_at) finds, and live claims are at most
-- one per process, so no index is added.
ALTER TABLE order_events ADD COLUMN claimed_until BIGINT;
ALTER TABLE order_events ADD COLUMN claimed_by TEXT;
