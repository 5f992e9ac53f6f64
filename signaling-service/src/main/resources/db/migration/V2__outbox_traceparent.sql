-- The W3C traceparent of the work that wrote the event: the relay puts it on the Kafka record (ADR 0020).
ALTER TABLE outbox ADD COLUMN traceparent VARCHAR(55) NULL;
