package io.talkline.gateway.ratelimit;

/** One rate-limit verdict, with what the RateLimit-* and Retry-After headers say. */
public record Decision(boolean allowed, int limit, long remaining, long retryAfterMillis, long resetMillis) {

    public long retryAfterSeconds() {
        return Math.max(1, (retryAfterMillis + 999) / 1000);
    }

    public long resetSeconds() {
        return (resetMillis + 999) / 1000;
    }
}
