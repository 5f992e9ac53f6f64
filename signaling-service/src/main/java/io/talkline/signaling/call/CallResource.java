package io.talkline.signaling.call;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.commons.auth.BearerAuthMechanism;
import io.talkline.commons.problem.ProblemException;
import io.talkline.signaling.room.Membership;
import io.vertx.core.http.HttpServerRequest;

@Path("/api/calls")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@RunOnVirtualThread
@SecurityRequirement(name = "BearerAuth")
public class CallResource {

    private static final int MAX_LIMIT = 100;

    public record Page(List<CallHistory.CallRecord> items, Instant nextBefore) {
    }

    private final CallHistory history;
    private final Membership membership;
    private final HttpServerRequest request;
    private final SecurityIdentity identity;

    public CallResource(CallHistory history, Membership membership, HttpServerRequest request,
            SecurityIdentity identity) {
        this.history = history;
        this.membership = membership;
        this.request = request;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Calls of a room, newest first: participants, missed, start, end, duration, outcome"
            + " (completed, missed, rejected, busy, cancelled, failed, ongoing); 404 for a non-member (staff too)")
    public Page list(@QueryParam("roomId") String roomId, @QueryParam("limit") Integer limit,
            @QueryParam("before") String before) {
        if (roomId == null || roomId.isBlank()) {
            throw ProblemException.badRequest("roomId", "required");
        }
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ProblemException.badRequest("limit", "must be between 1 and " + MAX_LIMIT);
        }
        Instant until;
        try {
            until = before == null ? Instant.now().plusSeconds(1) : Instant.parse(before);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("before", "an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z");
        }
        try {
            membership.members(BearerAuthMechanism.token(request), identity.getPrincipal().getName(), roomId);
        } catch (SignalError e) {
            throw switch (e.code()) {
                case not_found, bad_request -> ProblemException.notFound("No such room");
                case unauthorized -> new ProblemException(401, "The access token was refused");
                default -> new ProblemException(503, e.getMessage()).withHeader("Retry-After", "1");
            };
        }
        List<CallHistory.CallRecord> items = history.ofRoom(roomId, until, size);
        return new Page(items, items.size() < size ? null : items.getLast().createdAt());
    }
}
