package io.talkline.commons.auth;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** A verified token becomes the caller: principal = user id, roles = groups, the token as attribute "token". */
@ApplicationScoped
public class BearerIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    public static final String TOKEN_ATTRIBUTE = "token";
    /** The access token as sent, for a service that asks another one on the caller's behalf. */
    public static final String RAW_TOKEN_ATTRIBUTE = "raw-token";

    private final TokenVerifier verifier;

    public BearerIdentityProvider(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return verifier.verify(request.getToken().getToken())
                .map(token -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(token.userId()))
                        .addRoles(token.roles())
                        .addAttribute(TOKEN_ATTRIBUTE, token)
                        .addAttribute(RAW_TOKEN_ATTRIBUTE, request.getToken().getToken())
                        .build())
                .onFailure().transform(failure -> {
                    Log.debugf("access token refused: %s", failure.getMessage());
                    return new AuthenticationFailedException(failure.getMessage());
                });
    }
}
