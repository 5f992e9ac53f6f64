package io.talkline.auth.session;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "refresh_tokens")
public class RefreshToken extends PanacheEntityBase {

    /** SHA-256 of the token, hex: the token itself is never stored. */
    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "session_id")
    public String sessionId;

    @Column(name = "issued_at")
    public Instant issuedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "spent_at")
    public Instant spentAt;
}
