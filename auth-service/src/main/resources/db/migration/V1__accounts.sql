-- Accounts. Uniqueness is case-insensitive through explicit lower-case keys with a binary
-- collation, so it does not depend on the server's default collation (MySQL 8 ai_ci would also
-- fold accents; MariaDB's unicode_ci differs again).
CREATE TABLE users (
    id              CHAR(36)     NOT NULL,
    username        VARCHAR(32)  NOT NULL,
    username_key    VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    email           VARCHAR(254) NOT NULL,
    email_key       VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    display_name    VARCHAR(64)  NOT NULL,
    password_hash   VARCHAR(100) NOT NULL,
    disabled_at     TIMESTAMP(3) NULL,
    disabled_reason VARCHAR(500) NULL,
    created_at      TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_users_username (username_key),
    UNIQUE KEY uq_users_email (email_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE user_roles (
    user_id CHAR(36)    NOT NULL,
    role    VARCHAR(16) NOT NULL,
    PRIMARY KEY (user_id, role),
    CONSTRAINT fk_user_roles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
