package io.talkline.auth.account;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The user of api.md: {id, username, email?, displayName, roles, createdAt}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserView(String id, String username, String email, String displayName, List<String> roles, Instant createdAt) {

    /** With the e-mail: for the user themself and for admins. */
    public static UserView full(User user) {
        return new UserView(user.id, user.username, user.email, user.displayName,
                user.roles.stream().map(Enum::name).sorted().toList(), user.createdAt);
    }
}
