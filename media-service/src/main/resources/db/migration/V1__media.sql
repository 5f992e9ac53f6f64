-- One row per upload. The object lives in the bucket under object_key (random, never from user
-- input); type, size and hash are what the service measured, not what the client declared.
CREATE TABLE media (
    id            CHAR(36)     NOT NULL,
    owner_id      VARCHAR(64)  NOT NULL,
    kind          VARCHAR(8)   NOT NULL,   -- voice | image | file
    status        VARCHAR(10)  NOT NULL,   -- pending (direct upload not completed) | complete
    room_id       VARCHAR(64)  NULL,       -- the room named at upload: a hint, reading needs an attachment
    object_key    VARCHAR(80)  NOT NULL,
    file_name     VARCHAR(255) NOT NULL,
    content_type  VARCHAR(127) NULL,
    size          BIGINT       NULL,
    sha256        CHAR(64)     NULL,
    duration_ms   BIGINT       NULL,
    waveform      VARCHAR(400) NULL,       -- comma-separated peaks 0..100
    width         INT          NULL,
    height        INT          NULL,
    thumbnail_key VARCHAR(80)  NULL,
    created_at    TIMESTAMP(3) NOT NULL,
    completed_at  TIMESTAMP(3) NULL,
    expires_at    TIMESTAMP(3) NULL,       -- removed then unless attached by then
    PRIMARY KEY (id),
    KEY media_expiry (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Which messages carry a media item, learnt from chat.messages.v1: members of the room may read it
-- while a message that is not deleted names it.
CREATE TABLE media_attachments (
    media_id    CHAR(36)     NOT NULL,
    message_id  VARCHAR(64)  NOT NULL,
    room_id     VARCHAR(64)  NOT NULL,
    attached_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (media_id, message_id),
    KEY attachment_message (message_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE utf8mb4_unicode_ci;

-- platform-commons' transactional outbox: media.events.v1 and audit events
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
