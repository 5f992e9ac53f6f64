package io.talkline.commons.testapp;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.MDC;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.commons.problem.ProblemException;
import io.talkline.commons.requestid.RequestIds;

/** A resource that exists only in tests, to drive every error path of commons. */
@Path("/probe")
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {

    public record Tag(@NotBlank String name) {
    }

    public record NewAccount(@NotBlank @Size(min = 3, max = 32) String username, @NotNull @Email String email,
            @Max(150) int age, List<@Valid Tag> tags) {
    }

    @POST
    @Path("/accounts")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull NewAccount account) {
        return Response.status(201).entity(account).build();
    }

    /** The Java parameter is called differently from the query parameter on purpose. */
    @GET
    @Path("/wire-names")
    public Map<String, String> search(@QueryParam("q") @NotBlank @Size(min = 2) String searchText) {
        return Map.of("q", searchText);
    }

    /** The caller of a verified token. */
    @GET
    @Path("/me")
    @io.quarkus.security.Authenticated
    public String me(@Context jakarta.ws.rs.core.SecurityContext security) {
        return security.getUserPrincipal().getName();
    }

    @jakarta.inject.Inject
    org.eclipse.microprofile.jwt.JsonWebToken jwt;

    @jakarta.inject.Inject
    io.quarkus.security.identity.SecurityIdentity identity;

    /** The caller's token as MP-JWT code sees it (an injected JsonWebToken) and the principal behind it. */
    @GET
    @Path("/token")
    @io.quarkus.security.Authenticated
    public Map<String, Object> token() {
        return Map.of("name", jwt.getName(), "subject", jwt.getSubject(), "upn", jwt.getClaim("upn"),
                "groups", jwt.getGroups(), "principal", identity.getPrincipal().getClass().getSimpleName());
    }

    @GET
    @Path("/taken")
    public String taken() {
        throw ProblemException.conflict("That name is taken");
    }

    /** What Hibernate throws when Agroal's pool had no connection to give in time. */
    @GET
    @Path("/pool-exhausted")
    public String poolExhausted() {
        throw new IllegalStateException("Unable to acquire JDBC Connection",
                new java.sql.SQLException("Sorry, acquisition timeout!"));
    }

    /** What the MySQL driver throws when the server went away mid-request. */
    @GET
    @Path("/database-away")
    public String databaseAway() {
        throw new IllegalStateException("could not execute statement",
                new java.sql.SQLException("Communications link failure", "08S01"));
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("internal secret detail");
    }

    /** The request id as this (virtual) thread's logging MDC sees it. */
    @GET
    @Path("/mdc")
    @RunOnVirtualThread
    public Map<String, Object> mdc() {
        return Map.of("requestId", String.valueOf(MDC.get(RequestIds.MDC_KEY)));
    }

    @GET
    @Path("/headers")
    public Map<String, String> headers(@HeaderParam(RequestIds.HEADER) String requestId) {
        return Map.of("requestId", requestId == null ? "" : requestId);
    }

    /** Calls /probe/headers through a REST client: the current request id must travel with it. */
    @GET
    @Path("/outgoing")
    @RunOnVirtualThread
    public Map<String, String> outgoing(@Context UriInfo uri) {
        ProbeClient client = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(uri.getBaseUri().toString()))
                .build(ProbeClient.class);
        return client.headers();
    }
}
