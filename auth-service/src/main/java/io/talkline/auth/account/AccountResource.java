package io.talkline.auth.account;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.vertx.core.http.HttpServerRequest;

@Path("/api/auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AccountService accounts;
    private final SecurityIdentity identity;

    public AccountResource(AccountService accounts, SecurityIdentity identity) {
        this.accounts = accounts;
        this.identity = identity;
    }

    /** The caller, as a verified access token names them. */
    @GET
    @Path("/me")
    @Authenticated
    @RunOnVirtualThread
    public UserView me() {
        User user = User.findById(identity.getPrincipal().getName());
        if (user == null) {
            throw io.talkline.commons.problem.ProblemException.notFound("No such user");
        }
        return UserView.full(user);
    }

    /** 201 with the new user; 409 when the username or e-mail is taken in any letter case. */
    @POST
    @Path("/register")
    @RunOnVirtualThread
    public Response register(@Valid @NotNull Registration registration, @Context HttpServerRequest request) {
        String ip = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return Response.status(Response.Status.CREATED).entity(UserView.full(accounts.register(registration, ip)))
                .build();
    }
}
