package io.talkline.commons.auth;

/**
 * The Redis keys of instant revocation, written by auth-service and read by every verifier: a
 * logged-out token (jti), a revoked session (sid), and a per-user "not before" (logout-all,
 * disable). Each lives only as long as an access token can. Every write is also published on
 * {@link #CHANNEL}, so verifiers keep a local copy ({@link RevocationMirror}) instead of asking Redis
 * on every request.
 */
public final class Revocations {

    public static final String PREFIX = "auth:revoked:";
    public static final String CHANNEL = "auth:revocations";
    static final String HEARTBEAT_PREFIX = "heartbeat:";

    /** A revocation as published: the key, its value and how long it lives. */
    public record Published(String key, String value, long ttlMillis) {
    }

    private Revocations() {
    }

    public static String tokenKey(String jti) {
        return PREFIX + "jti:" + jti;
    }

    public static String sessionKey(String sid) {
        return PREFIX + "sid:" + sid;
    }

    /**
     * The access-token claim with the issue time in epoch milliseconds ({@code iat} has whole
     * seconds only, too coarse for a not-before written in the same second as a new login).
     */
    public static final String ISSUED_AT_MILLIS_CLAIM = "iat_ms";

    /** Value: epoch milliseconds; a token issued before it is refused. */
    public static String notBeforeKey(String userId) {
        return PREFIX + "nbf-ms:" + userId;
    }

    /** The message published with a write: "key value ttlMillis" (keys and values hold no spaces). */
    public static String message(String key, String value, long ttlMillis) {
        return key + ' ' + value + ' ' + ttlMillis;
    }

    static Published parse(String message) {
        String[] parts = message.split(" ");
        if (parts.length != 3 || !parts[0].startsWith(PREFIX)) {
            return null;
        }
        try {
            return new Published(parts[0], parts[1], Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
