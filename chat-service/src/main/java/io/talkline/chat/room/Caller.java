package io.talkline.chat.room;

import java.util.Set;

import io.quarkus.security.identity.SecurityIdentity;

/** Who is asking: the token's user and global roles (moderators and admins may act in any room). */
public record Caller(String userId, Set<String> roles) {

    public static Caller of(SecurityIdentity identity) {
        return new Caller(identity.getPrincipal().getName(), identity.getRoles());
    }

    public boolean staff() {
        return roles.contains("moderator") || roles.contains("admin");
    }
}
