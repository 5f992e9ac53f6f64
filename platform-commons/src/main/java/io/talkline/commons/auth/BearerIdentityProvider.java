package io.talkline.commons.auth;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.talkline.commons.problem.ProblemException;

/**
 * A verified token becomes the caller: principal = smallrye-jwt's {@link AccessToken} (a
 * {@code JsonWebToken} named by the user id), roles = groups, the token as attribute "token".
 */
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
                        .setPrincipal(token.jwt())
                        .addRoles(token.roles())
                        .addAttribute(TOKEN_ATTRIBUTE, token)
                        .addAttribute(RAW_TOKEN_ATTRIBUTE, request.getToken().getToken())
                        .build())
                .onFailure().transform(BearerIdentityProvider::answer);
    }

    /**
     * A refused token is a 401; a check that could not be made is a 503 with Retry-After (fail
     * closed, and never a 401: a client takes that as "signed out").
     */
    static RuntimeException answer(Throwable failure) {
        if (failure instanceof TokenUncheckable uncheckable) {
            Log.warnf("access token not checked: %s", uncheckable.getMessage());
            return unavailable();
        }
        Log.debugf("access token refused: %s", failure.getMessage());
        return new AuthenticationFailedException(failure.getMessage());
    }

    /** The answer when a token cannot be checked right now. */
    public static ProblemException unavailable() {
        return new ProblemException(503, "Access tokens cannot be checked right now; retry shortly")
                .withHeader("Retry-After", "2");
    }
}
