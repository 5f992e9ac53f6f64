package io.talkline.media.access;

import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;

/** Who is asking: the token's user and roles, and the token itself (to ask chat-service as them). */
public record Caller(String userId, Set<String> roles, String bearer) {

    public static Caller of(SecurityIdentity identity, String authorization) {
        return new Caller(identity.getPrincipal().getName(), identity.getRoles(), authorization);
    }

    public boolean admin() {
        return roles.contains("admin");
    }
}
