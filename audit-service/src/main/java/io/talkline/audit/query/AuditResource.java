package io.talkline.audit.query;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.audit.query.AuditQueries.EventQuery;
import io.talkline.audit.query.AuditQueries.LogQuery;
import io.talkline.audit.query.Views.EventView;
import io.talkline.audit.query.Views.Items;
import io.talkline.audit.query.Views.LogView;
import io.talkline.audit.query.Views.MessagePage;
import io.talkline.audit.query.Views.MessageView;
import io.talkline.audit.query.Views.Page;

/** The audit trail, logs and message archive, for admins and (read-only, as all of this is) moderators. */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ "admin", "moderator" })
@RunOnVirtualThread
@SecurityRequirement(name = "BearerAuth")
public class AuditResource {

    private final AuditQueries queries;

    public AuditResource(AuditQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("/events")
    @Operation(summary = "Audit events, newest first; filters combine; page with nextCursor")
    public Page<EventView> events(@QueryParam("userId") String userId, @QueryParam("type") String type,
            @QueryParam("service") String service, @QueryParam("requestId") String requestId,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return queries.events(new EventQuery(userId, type, service, requestId, from, to, limit, cursor));
    }

    @GET
    @Path("/logs")
    @Operation(summary = "WARN and ERROR records of every service, newest first; page with nextCursor")
    public Page<LogView> logs(@QueryParam("service") String service, @QueryParam("level") String level,
            @QueryParam("requestId") String requestId, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return queries.logs(new LogQuery(service, level, requestId, from, to, limit, cursor));
    }

    @GET
    @Path("/requests/{requestId}")
    @Operation(summary = "Every audit event and log record of one request, from every service, in time order")
    public Items<Object> request(@PathParam("requestId") String requestId) {
        return new Items<>(queries.request(requestId));
    }

    @GET
    @Path("/archive/rooms/{roomId}/messages")
    @Operation(summary = "A room's archived messages in seq order, edits and deletions folded in")
    public MessagePage roomArchive(@PathParam("roomId") String roomId, @QueryParam("afterSeq") Long afterSeq,
            @QueryParam("limit") Integer limit) {
        return queries.roomArchive(roomId, afterSeq, limit);
    }

    @GET
    @Path("/archive/messages/{messageId}")
    @Operation(summary = "One archived message with its edits and deletion; 404 if never archived")
    public MessageView archivedMessage(@PathParam("messageId") String messageId) {
        return queries.archivedMessage(messageId);
    }
}
