package io.talkline.commons.auth;

import java.time.Instant;
import java.util.Set;

/** What a verified access token says about its bearer; {@code jwt} is smallrye-jwt's view of it (the principal). */
public record VerifiedToken(String userId, String username, Set<String> roles, String sessionId, String tokenId,
        Instant issuedAt, Instant expiresAt, AccessToken jwt) {
}
