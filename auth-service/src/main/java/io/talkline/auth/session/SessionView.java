package io.talkline.auth.session;

import java.time.Instant;

/** One of the caller's sessions (devices); "current" marks the one this token belongs to. */
public record SessionView(String id, Instant createdAt, Instant lastRefreshedAt, Instant expiresAt, String userAgent,
        String ip, boolean current) {
}
