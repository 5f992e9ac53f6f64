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
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.chat.message.MessageRequests.Edit;
import io.talkline.chat.message.MessageRequests.NewMessage;
import io.talkline.chat.message.MessageRequests.Page;
import io.talkline.chat.room.Caller;

@Path("/api/rooms/{roomId}/messages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@RunOnVirtualThread
@SecurityRequirement(name = "BearerAuth")
public class MessageResource {

    private final MessageService messages;
    private final SecurityIdentity identity;

    public MessageResource(MessageService messages, SecurityIdentity identity) {
        this.messages = messages;
        this.identity = identity;
    }

    @POST
    @Operation(summary = "Send: 201 the new message; the same clientMsgId again → 200 with the first one, never a copy")
    public Response send(@PathParam("roomId") String roomId, @Valid @NotNull NewMessage message) {
        MessageService.Sent sent = messages.send(Caller.of(identity), roomId, message);
        return Response.status(sent.created() ? 201 : 200).entity(sent.message()).build();
    }

    @GET
    @Operation(summary = "A page in ascending seq: ?after=SEQ forward, ?before=SEQ backward, neither = the latest")
    public Page page(@PathParam("roomId") String roomId, @QueryParam("before") Long before, @QueryParam("after") Long after,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        return messages.page(Caller.of(identity), roomId, before, after, limit);
    }

    @PATCH
    @Path("/{messageId}")
    @Operation(summary = "Edit the body (sender only)")
    public MessageView edit(@PathParam("roomId") String roomId, @PathParam("messageId") String messageId,
            @Valid @NotNull Edit edit) {
        return messages.edit(Caller.of(identity), roomId, messageId, edit.body());
    }

    @DELETE
    @Path("/{messageId}")
    @Operation(summary = "Delete (sender, room owner or admin, moderator, admin): the message stays as a tombstone")
    public void delete(@PathParam("roomId") String roomId, @PathParam("messageId") String messageId) {
        messages.delete(Caller.of(identity), roomId, messageId);
    }
}
