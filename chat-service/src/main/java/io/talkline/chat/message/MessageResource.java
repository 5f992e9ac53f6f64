package io.talkline.chat.message;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Uni;
import io.talkline.chat.message.MessageRequests.Edit;
import io.talkline.chat.message.MessageRequests.NewMessage;
import io.talkline.chat.message.MessageRequests.Page;
import io.talkline.chat.room.Caller;

@Path("/api/rooms/{roomId}/messages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "BearerAuth")
public class MessageResource {

    private final MessageService messages;
    private final SecurityIdentity identity;

    public MessageResource(MessageService messages, SecurityIdentity identity) {
        this.messages = messages;
        this.identity = identity;
    }

    /** On the event loop: the common send waits for its group commit without a thread (ADR 0030). */
    @POST
    @NonBlocking
    @Operation(summary = "Send: 201 the new message; the same clientMsgId again → 200 with the first one, never a copy")
    public Uni<Response> send(@PathParam("roomId") String roomId, @Valid @NotNull NewMessage message) {
        return messages.sendAsync(Caller.of(identity), roomId, message)
                .map(sent -> Response.status(sent.created() ? 201 : 200).entity(sent.message()).build());
    }

    @GET
    @RunOnVirtualThread
    @Operation(summary = "A page in ascending seq: ?after=SEQ forward, ?before=SEQ backward, neither = the latest")
    public Page page(@PathParam("roomId") String roomId, @QueryParam("before") Long before, @QueryParam("after") Long after,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        return messages.page(Caller.of(identity), roomId, before, after, limit);
    }

    @PATCH
    @RunOnVirtualThread
    @Path("/{messageId}")
    @Operation(summary = "Edit the body (sender only)")
    public MessageView edit(@PathParam("roomId") String roomId, @PathParam("messageId") String messageId,
            @Valid @NotNull Edit edit) {
        return messages.edit(Caller.of(identity), roomId, messageId, edit.body());
    }

    @DELETE
    @RunOnVirtualThread
    @Path("/{messageId}")
    @Operation(summary = "Delete (sender, room owner or admin, moderator, admin): the message stays as a tombstone")
    public void delete(@PathParam("roomId") String roomId, @PathParam("messageId") String messageId) {
        messages.delete(Caller.of(identity), roomId, messageId);
    }
}
