-- A session is one login: a family of refresh tokens, rotated on every refresh (RFC 9700 §4.14).
CREATE TABLE sessions (
    id                CHAR(36)     NOT NULL,
    user_id           CHAR(36)     NOT NULL,
    created_at        TIMESTAMP(3) NOT NULL,
    last_refreshed_at TIMESTAMP(3) NOT NULL,
    expires_at        TIMESTAMP(3) NOT NULL,
    revoked_at        TIMESTAMP(3) NULL,
    revoked_reason    VARCHAR(32)  NULL,
    user_agent        VARCHAR(255) NULL,
    ip                VARCHAR(45)  NULL,
    PRIMARY KEY (id),
    KEY ix_sessions_user (user_id, revoked_at),
    CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Only the SHA-256 of a refresh token is kept; a spent one stays, so presenting it again is detected.
CREATE TABLE refresh_tokens (
    token_hash CHAR(64)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    session_id CHAR(36)     NOT NULL,
    issued_at  TIMESTAMP(3) NOT NULL,
    expires_at TIMESTAMP(3) NOT NULL,
    spent_at   TIMESTAMP(3) NULL,
    PRIMARY KEY (token_hash),
    KEY ix_refresh_tokens_session (session_id),
    CONSTRAINT fk_refresh_tokens_session FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
