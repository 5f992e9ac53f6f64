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

import io.smallrye.common.annotation.RunOnVirtualThread;
import io.vertx.core.http.HttpServerRequest;

@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final SessionService sessions;

    public SessionResource(SessionService sessions) {
        this.sessions = sessions;
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

    /** 200 with a new pair; the presented refresh token is spent. A spent one → 401 and its session is revoked. */
    @POST
    @Path("/refresh")
    @RunOnVirtualThread
    public TokenPair refresh(@Valid @NotNull RefreshRequest request) {
        return sessions.refresh(request.refreshToken());
    }
}
