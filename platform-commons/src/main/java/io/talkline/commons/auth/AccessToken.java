package io.talkline.commons.auth;

import org.jose4j.jwt.JwtClaims;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

/**
 * The caller's verified access token as smallrye-jwt represents it (an MP-JWT {@code JsonWebToken},
 * injectable as such), named by its {@code sub}, the user id: MicroProfile JWT would name it by
 * {@code upn}, which here is the username, and the platform keys everything by user id.
 */
public final class AccessToken extends DefaultJWTCallerPrincipal {

    AccessToken(String token, JwtClaims claims) {
        super(token, "JWT", claims);
    }

    @Override
    public String getName() {
        return getSubject();
    }
}
