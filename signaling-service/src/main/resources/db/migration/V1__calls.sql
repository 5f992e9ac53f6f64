-- Call history (GET /api/calls?roomId=), written from the call records Redis keeps until an
-- instance has persisted them (CallHistory): idempotent by call id.
CREATE TABLE calls (
    id         CHAR(36)     NOT NULL,
    room_id    VARCHAR(64)  NOT NULL,
    media      VARCHAR(8)   NOT NULL,
    created_by VARCHAR(64)  NOT NULL,
    created_at TIMESTAMP(3) NOT NULL,
    started_at TIMESTAMP(3) NULL,
    ended_at   TIMESTAMP(3) NULL,
    outcome    VARCHAR(16)  NULL,
    end_reason VARCHAR(16)  NULL,
    PRIMARY KEY (id),
    KEY calls_by_room (room_id, created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Everyone a call concerned: joined = took part (the caller included), otherwise invited and missed.
CREATE TABLE call_participants (
    call_id CHAR(36)    NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    joined  BOOLEAN     NOT NULL,
    PRIMARY KEY (call_id, user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Events written in the transaction of the change they report (platform-commons OutboxRelay).
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
