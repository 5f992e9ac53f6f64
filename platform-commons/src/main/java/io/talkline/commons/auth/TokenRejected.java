package io.talkline.commons.auth;

/** An access token that is not (or no longer) good; the reason is for logs, callers get a plain 401. */
public final class TokenRejected extends RuntimeException {

    public TokenRejected(String reason) {
        super(reason, null, false, false);
    }
}
