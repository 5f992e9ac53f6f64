package io.talkline.auth.session;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "sessions")
public class Session extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "user_id")
    public String userId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "last_refreshed_at")
    public Instant lastRefreshedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_reason")
    public String revokedReason;

    @Column(name = "user_agent")
    public String userAgent;

    public String ip;

    public boolean activeAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
