-- A room's last_seq is the sequence counter: a send increments it under the row lock and inserts
-- the message in the same transaction, so seq is gapless and unique however many instances send.
CREATE TABLE rooms (
    id         CHAR(36)     NOT NULL,
    type       VARCHAR(8)   NOT NULL,
    name       VARCHAR(100) NULL,
    -- "smallerUserId:largerUserId" for direct rooms: one per pair, even under concurrent creation
    direct_key VARCHAR(80)  NULL,
    last_seq   BIGINT       NOT NULL DEFAULT 0,
    created_by CHAR(36)     NOT NULL,
    created_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_rooms_direct (direct_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE room_members (
    room_id       CHAR(36)     NOT NULL,
    user_id       CHAR(36)     NOT NULL,
    role          VARCHAR(8)   NOT NULL,
    joined_at     TIMESTAMP(3) NOT NULL,
    delivered_seq BIGINT       NOT NULL DEFAULT 0,
    seen_seq      BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (room_id, user_id),
    KEY ix_members_user (user_id),
    CONSTRAINT fk_members_room FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE messages (
    id            CHAR(36)     NOT NULL,
    room_id       CHAR(36)     NOT NULL,
    seq           BIGINT       NOT NULL,
    sender_id     CHAR(36)     NOT NULL,
    -- idempotency for ever, on any instance: a retry finds the first message by this key
    client_msg_id VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    type          VARCHAR(8)   NOT NULL,
    body          TEXT         NULL,
    media_id      VARCHAR(64)  NULL,
    reply_to      CHAR(36)     NULL,
    created_at    TIMESTAMP(3) NOT NULL,
    edited_at     TIMESTAMP(3) NULL,
    deleted_at    TIMESTAMP(3) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_messages_seq (room_id, seq),
    UNIQUE KEY uq_messages_client (sender_id, client_msg_id),
    CONSTRAINT fk_messages_room FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE reactions (
    message_id CHAR(36)    NOT NULL,
    user_id    CHAR(36)    NOT NULL,
    -- binary: under a *_ci collation many distinct emoji compare equal
    emoji      VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    created_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (message_id, emoji, user_id),
    CONSTRAINT fk_reactions_message FOREIGN KEY (message_id) REFERENCES messages (id) ON DELETE CASCADE
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
