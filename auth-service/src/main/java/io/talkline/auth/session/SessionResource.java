package io.talkline.auth.session;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.commons.auth.BearerIdentityProvider;
import io.vertx.core.http.HttpServerRequest;

@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final SessionService sessions;
    private final SecurityIdentity identity;

    public SessionResource(SessionService sessions, SecurityIdentity identity) {
        this.sessions = sessions;
        this.identity = identity;
    }

    /** 200 with a token pair; 401 alike for an unknown account and a wrong password. */
    @POST
    @Path("/login")
    @RunOnVirtualThread
    public TokenPair login(@Valid @NotNull Credentials credentials, @HeaderParam("User-Agent") String userAgent,
            @Context HttpServerRequest request) {
        String ip = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return sessions.login(credentials, userAgent, ip);
    }

    /** 204; this access token and its session stop working at once (everywhere: every verifier reads Redis). */
    @POST
    @Path("/logout")
    @Consumes(MediaType.WILDCARD) // the body ({refreshToken?}) is optional: the token names the session
    @Authenticated
    @RunOnVirtualThread
    public void logout() {
        sessions.logout(identity.getAttribute(BearerIdentityProvider.TOKEN_ATTRIBUTE));
    }

    /** 204; every session of the caller stops working at once. */
    @POST
    @Path("/logout-all")
    @Consumes(MediaType.WILDCARD)
    @Authenticated
    @RunOnVirtualThread
    public void logoutAll() {
        sessions.logoutAll(identity.getPrincipal().getName());
    }

    /** The caller's active sessions. */
    @jakarta.ws.rs.GET
    @Path("/sessions")
    @Authenticated
    @RunOnVirtualThread
    public java.util.Map<String, java.util.List<SessionView>> sessions() {
        io.talkline.commons.auth.VerifiedToken token = identity.getAttribute(BearerIdentityProvider.TOKEN_ATTRIBUTE);
        return java.util.Map.of("items", sessions.active(token.userId(), token.sessionId()));
    }

    /** 204; that session's refresh and access tokens stop working at once. */
    @jakarta.ws.rs.DELETE
    @Path("/sessions/{id}")
    @Authenticated
    @RunOnVirtualThread
    public void endSession(@jakarta.ws.rs.PathParam("id") String id) {
        sessions.end(identity.getPrincipal().getName(), id);
    }

    /** 200 with a new pair; the presented refresh token is spent. A spent one → 401 and its session is revoked. */
    @POST
    @Path("/refresh")
    @RunOnVirtualThread
    public TokenPair refresh(@Valid @NotNull RefreshRequest request) {
        return sessions.refresh(request.refreshToken());
    }
}
