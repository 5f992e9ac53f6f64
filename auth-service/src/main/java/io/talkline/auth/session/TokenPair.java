package io.talkline.auth.session;

import io.talkline.auth.account.UserView;

/** The answer of login and refresh (api.md). */
public record TokenPair(String accessToken, String refreshToken, String tokenType, long expiresIn, long refreshExpiresIn,
        UserView user) {
}
