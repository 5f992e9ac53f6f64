package io.talkline.auth.account;

import java.util.Locale;

/** The platform-wide roles (api.md); a token carries them as "groups". */
public enum Role {
    user,
    moderator,
    admin;

    public static Role parse(String value) {
        return valueOf(value.trim().toLowerCase(Locale.ROOT));
    }
}
