-- Why a message became a tombstone: sender, room (its owner or an admin), moderation (a rule or a moderator).
ALTER TABLE messages ADD COLUMN deleted_reason VARCHAR(12) NULL;

-- A case per message while it is open (open_key = the message id; NULL once resolved, so a later
-- report or rule hit opens a new one): rule hits and reports of one message fold into it.
CREATE TABLE moderation_cases (
    id             CHAR(36)      NOT NULL,
    kind           VARCHAR(8)    NOT NULL,
    status         VARCHAR(10)   NOT NULL,
    open_key       CHAR(36)      NULL,
    room_id        CHAR(36)      NOT NULL,
    message_id     CHAR(36)      NOT NULL,
    author_id      CHAR(36)      NOT NULL,
    rule_id        VARCHAR(64)   NULL,
    -- JSON array of strings: the rules that hit and what they found, the reporters' reasons
    reasons        MEDIUMTEXT    NOT NULL,
    reporter_count INT           NOT NULL DEFAULT 0,
    -- the message as it was when the case opened (JSON, as the REST API writes it)
    message        MEDIUMTEXT    NOT NULL,
    created_at     TIMESTAMP(3)  NOT NULL,
    updated_at     TIMESTAMP(3)  NOT NULL,
    resolved_at    TIMESTAMP(3)  NULL,
    resolved_by    CHAR(36)      NULL,
    action         VARCHAR(16)   NULL,
    note           VARCHAR(1000) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_cases_open (open_key),
    KEY ix_cases_created (created_at, id),
    KEY ix_cases_status (status, created_at, id),
    KEY ix_cases_room (room_id, created_at, id),
    KEY ix_cases_message (message_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per rule that hit one version of a message (created, or edited at a time): a record
-- consumed twice finds its row and changes nothing (one case, one mute, one tombstone).
CREATE TABLE moderation_hits (
    message_id CHAR(36)     NOT NULL,
    version    VARCHAR(32)  NOT NULL,
    rule_id    VARCHAR(64)  NOT NULL,
    case_id    CHAR(36)     NOT NULL,
    created_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (message_id, version, rule_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- A user muted in one room (room_id) or everywhere (NULL) until a time, unless lifted earlier.
-- A send checks for an active row in its own UPDATE statement (MessageService).
CREATE TABLE mutes (
    id         CHAR(36)      NOT NULL,
    user_id    CHAR(36)      NOT NULL,
    room_id    CHAR(36)      NULL,
    until      TIMESTAMP(3)  NOT NULL,
    reason     VARCHAR(1000) NOT NULL,
    created_by CHAR(36)      NULL,
    case_id    CHAR(36)      NULL,
    created_at TIMESTAMP(3)  NOT NULL,
    lifted_at  TIMESTAMP(3)  NULL,
    lifted_by  CHAR(36)      NULL,
    PRIMARY KEY (id),
    KEY ix_mutes_user (user_id, until)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The rule set every instance applies: one row, its version raised by each replacement.
CREATE TABLE moderation_rules (
    id         TINYINT      NOT NULL,
    version    BIGINT       NOT NULL,
    source     VARCHAR(8)   NOT NULL,
    rules      MEDIUMTEXT   NOT NULL,
    updated_by CHAR(36)     NULL,
    updated_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Records of chat.messages.v1 that moderation could not process (unreadable, or failing while the
-- database answered): kept here, counted, and passed by instead of stalling their partition.
CREATE TABLE moderation_set_aside (
    topic         VARCHAR(100) NOT NULL,
    kafka_partition INT        NOT NULL,
    kafka_offset  BIGINT       NOT NULL,
    record_key    VARCHAR(255) NULL,
    record_value  MEDIUMTEXT   NULL,
    error         VARCHAR(2000) NOT NULL,
    created_at    TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (topic, kafka_partition, kafka_offset)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
