package io.talkline.commons.auth;

/**
 * A token that could not be checked (Redis or the key set unreachable): not the caller's fault, so
 * never a 401 — a client takes a 401 as "signed out". Answered 503 with Retry-After (fail closed).
 */
public final class TokenUncheckable extends RuntimeException {

    public TokenUncheckable(String reason, Throwable cause) {
        super(reason, cause, false, false);
    }
}
