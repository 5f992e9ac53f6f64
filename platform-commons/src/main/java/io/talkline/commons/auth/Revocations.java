package io.talkline.commons.auth;

/**
 * The Redis keys of instant revocation, written by auth-service and read by every verifier in one
 * MGET: a logged-out token (jti), a revoked session (sid), and a per-user "not before" (logout-all,
 * disable). Each lives only as long as an access token can.
 */
public final class Revocations {

    private Revocations() {
    }

    public static String tokenKey(String jti) {
        return "auth:revoked:jti:" + jti;
    }

    public static String sessionKey(String sid) {
        return "auth:revoked:sid:" + sid;
    }

    /** Value: epoch seconds; a token issued before it is refused. */
    public static String notBeforeKey(String userId) {
        return "auth:nbf:" + userId;
    }
}
