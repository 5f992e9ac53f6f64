package io.talkline.commons.auth;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * smallrye-jwt's own token parser (signature, iss, aud, exp, iat, required claims, as its mp.jwt.*
 * settings say), making an {@link AccessToken} of what it verified: the custom principal factory
 * smallrye-jwt provides for (ADR 0029).
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class AccessTokenFactory extends JWTCallerPrincipalFactory {

    private final DefaultJWTTokenParser parser = new DefaultJWTTokenParser();

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo settings) throws ParseException {
        return new AccessToken(token, parser.parse(token, settings).getJwtClaims());
    }
}
