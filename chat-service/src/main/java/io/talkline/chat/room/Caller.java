package io.talkline.chat.room;

import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;
import io.talkline.commons.auth.BearerIdentityProvider;
import io.talkline.commons.auth.VerifiedToken;

/**
 * Who is asking: the token's user and global roles (moderators and admins may act in any room),
 * and the token itself, to ask another service on the caller's behalf (media-service).
 */
public record Caller(String userId, Set<String> roles, String token) {

    public static Caller of(SecurityIdentity identity) {
        return new Caller(identity.getPrincipal().getName(), identity.getRoles(),
                identity.getAttribute(BearerIdentityProvider.RAW_TOKEN_ATTRIBUTE));
    }

    /** The bearer of a token verified before (chat's direct send route): as {@link #of(SecurityIdentity)} would say. */
    public static Caller of(VerifiedToken token, String raw) {
        return new Caller(token.userId(), token.roles(), raw);
    }

    /** The same caller with a fresher token (a socket's client sent one in an auth frame). */
    public Caller withToken(String fresher) {
        return fresher == null ? this : new Caller(userId, roles, fresher);
    }

    public boolean staff() {
        return roles.contains("moderator") || roles.contains("admin");
    }
}
