-- A user reports a message once: asking again answers the same report and sends nothing twice.
CREATE TABLE message_reports (
    id          CHAR(36)      NOT NULL,
    message_id  CHAR(36)      NOT NULL,
    room_id     CHAR(36)      NOT NULL,
    reporter_id CHAR(36)      NOT NULL,
    reason      VARCHAR(1000) NOT NULL,
    created_at  TIMESTAMP(3)  NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_reports_reporter (message_id, reporter_id),
    CONSTRAINT fk_reports_message FOREIGN KEY (message_id) REFERENCES messages (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
