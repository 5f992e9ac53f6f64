package io.talkline.commons.auth;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.core.runtime.VertxMDC;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.talkline.commons.problem.Problems;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Finds the access token where api.md puts it: {@code Authorization: Bearer}, or — for a
 * WebSocket upgrade, which browsers cannot give headers — {@code ?access_token=} or the
 * subprotocol pair {@code bearer, <token>}.
 */
@ApplicationScoped
public class BearerAuthMechanism implements HttpAuthenticationMechanism {

    /** MDC key of the caller's user id, from the moment their token is verified to the end of the request. */
    public static final String USER_ID_MDC_KEY = "userId";

    private final Problems problems;

    public BearerAuthMechanism(Problems problems) {
        this.problems = problems;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String token = token(context.request());
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        // the request's own (duplicated) context, where RequestIdFilter put the request id: the
        // verification may complete on another thread, the MDC entry must land in this request
        Context request = Vertx.currentContext();
        return identities.authenticate(new TokenAuthenticationRequest(new TokenCredential(token, "bearer")))
                .invoke(identity -> {
                    if (identity != null && !identity.isAnonymous()) {
                        tagLogs(context, request, identity.getPrincipal().getName());
                    }
                });
    }

    /** The caller's user id in every log line of the request, on its own (duplicated) context. */
    public static void tagLogs(RoutingContext context, Context request, String userId) {
        if (request != null && VertxContext.isDuplicatedContext(request)) {
            VertxMDC.INSTANCE.put(USER_ID_MDC_KEY, userId, request);
            context.addEndHandler(done -> VertxMDC.INSTANCE.remove(USER_ID_MDC_KEY, request));
        }
    }

    /** The access token of a request, or null: the one place that knows where tokens travel. */
    public static String token(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            return null;
        }
        String query = request.getParam("access_token");
        if (query != null && !query.isBlank()) {
            return query;
        }
        String protocols = request.getHeader("Sec-WebSocket-Protocol");
        if (protocols != null) {
            String[] offered = protocols.split(",");
            for (int i = 0; i + 1 < offered.length; i++) {
                if (offered[i].trim().equalsIgnoreCase("bearer")) {
                    return offered[i + 1].trim();
                }
            }
        }
        return null;
    }

    /** The refusal of a request without a usable token (a socket upgrade's too) is a problem document. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().headWritten()) {
            context.response().putHeader("WWW-Authenticate", "Bearer");
            problems.send(context, 401, "A valid access token is required");
        }
        return Uni.createFrom().item(Boolean.TRUE);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }
}
