package io.talkline.chat.realtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.talkline.chat.room.Caller;
import io.talkline.commons.auth.BearerAuthMechanism;
import io.talkline.commons.auth.BearerIdentityProvider;
import io.talkline.commons.auth.TokenUncheckable;
import io.talkline.commons.auth.TokenVerifier;
import io.talkline.commons.auth.VerifiedToken;
import io.talkline.commons.problem.ProblemException;
import io.talkline.commons.problem.ProblemMappers;
import io.talkline.commons.problem.Problems;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Signs a /ws/chat upgrade in with its access token (api.md: the header, {@code ?access_token=} or
 * the {@code bearer} subprotocol pair), as Quarkus security does a request: 401 without a valid
 * one, 503 with Retry-After while tokens cannot be checked, each a problem document. The socket
 * then keeps its {@link Caller} and verified token in its user data and nothing else of the upgrade
 * (ADR 0034): signed in by Quarkus security, it kept the upgrade's whole routing context for its
 * life — request, identity, claims, the deferred identity's pipeline and its captured contexts —
 * about a third of an idle socket's heap.
 */
@ApplicationScoped
public class SocketSignIn implements HttpUpgradeCheck {

    /** Who the socket belongs to: its user, roles and (freshest) raw token. */
    static final UserData.TypedKey<Caller> CALLER = new UserData.TypedKey<>("caller");
    /** The token the socket is opened with, until the socket's entry in Sockets takes it over. */
    static final UserData.TypedKey<VerifiedToken> TOKEN = new UserData.TypedKey<>("verified-token");

    /**
     * After the security filters (orders -200 and -100), before every route: websockets-next's
     * endpoint route is one of those numbered from 0 in the order they were added.
     */
    private static final int AFTER_FILTERS = -1;

    private final TokenVerifier verifier;
    private final BearerAuthMechanism bearer;
    private final Problems problems;

    public SocketSignIn(TokenVerifier verifier, BearerAuthMechanism bearer, Problems problems) {
        this.verifier = verifier;
        this.bearer = bearer;
        this.problems = problems;
    }

    void register(@Observes Router router) {
        router.route(ChatSocket.PATH).order(AFTER_FILTERS).handler(this::gate);
    }

    /**
     * Refuses an upgrade without a valid token, and takes Quarkus security's deferred identity off
     * every upgrade: websockets-next keeps the routing context of an upgrade that has one (or a
     * signed-in user) for as long as the socket lives.
     */
    void gate(RoutingContext ctx) {
        String upgrade = ctx.request().getHeader(HttpHeaders.UPGRADE);
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            ctx.next();
            return;
        }
        ctx.clearUser();
        ctx.remove(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        String raw = BearerAuthMechanism.token(ctx.request());
        if (raw == null) {
            refuse(ctx, null);
        } else if (verifier.verifiedNow(raw) != null) {
            ctx.next();
        } else {
            // the check may end on another thread: the upgrade goes on on the request's own context
            Context request = Vertx.currentContext();
            verifier.verify(raw).subscribe().with(token -> request.runOnContext(v -> ctx.next()),
                    failure -> request.runOnContext(v -> refuse(ctx, failure)));
        }
    }

    /** The answers a REST request gets: the bearer mechanism's challenge, or the verifier's 503. */
    private void refuse(RoutingContext ctx, Throwable failure) {
        if (failure instanceof TokenUncheckable) {
            Log.warnf("socket upgrade: access token not checked: %s", failure.getMessage());
            ProblemException unavailable = BearerIdentityProvider.unavailable();
            problems.send(ctx, ProblemMappers.problemOf(unavailable, ctx.request().path(), Problems.requestId(ctx)),
                    unavailable.headers());
            return;
        }
        if (failure != null) {
            Log.debugf("socket upgrade: access token refused: %s", failure.getMessage());
        }
        bearer.sendChallenge(ctx);
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return ChatSocket.class.getName().equals(endpointId);
    }

    /** The gate let the upgrade through: its token is known, and goes with the socket. */
    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String raw = BearerAuthMechanism.token(context.httpRequest());
        VerifiedToken known = raw == null ? null : verifier.verifiedNow(raw);
        if (known != null) {
            return Uni.createFrom().item(signIn(context.userData(), known, raw));
        }
        // only when the token's check expired between the gate and here
        return raw == null ? CheckResult.rejectUpgrade(401)
                : verifier.verify(raw).map(token -> signIn(context.userData(), token, raw))
                        .onFailure().recoverWithItem(failure -> CheckResult.rejectUpgradeSync(
                                failure instanceof TokenUncheckable ? 503 : 401));
    }

    private static CheckResult signIn(UserData userData, VerifiedToken token, String raw) {
        userData.put(CALLER, Caller.of(token, raw));
        userData.put(TOKEN, token);
        return CheckResult.permitUpgradeSync();
    }
}
