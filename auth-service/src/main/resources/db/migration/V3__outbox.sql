-- Events written in the transaction of the change they report, shipped to Kafka by the relay
-- (platform-commons OutboxRelay) and deleted once Kafka acknowledged them.
CREATE TABLE outbox (
    id         BIGINT       NOT NULL AUTO_INCREMENT,
    topic      VARCHAR(100) NOT NULL,
    record_key VARCHAR(255) NULL,
    event_id   CHAR(36)     NOT NULL,
    event_type VARCHAR(100) NOT NULL,
    request_id VARCHAR(128) NULL,
    envelope   MEDIUMTEXT   NOT NULL,
    created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
