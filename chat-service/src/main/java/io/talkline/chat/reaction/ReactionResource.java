package io.talkline.chat.reaction;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.chat.room.Caller;

@Path("/api/rooms/{roomId}/messages/{messageId}/reactions/{emoji}")
@Authenticated
@RunOnVirtualThread
@SecurityRequirement(name = "BearerAuth")
public class ReactionResource {

    private final ReactionService reactions;
    private final SecurityIdentity identity;

    public ReactionResource(ReactionService reactions, SecurityIdentity identity) {
        this.reactions = reactions;
        this.identity = identity;
    }

    @PUT
    @Operation(summary = "React (204; again changes nothing)")
    public void add(@PathParam("roomId") String roomId, @PathParam("messageId") String messageId,
            @PathParam("emoji") String emoji) {
        reactions.add(Caller.of(identity), roomId, messageId, emoji);
    }

    @DELETE
    @Operation(summary = "Take a reaction back (204)")
    public void remove(@PathParam("roomId") String roomId, @PathParam("messageId") String messageId,
            @PathParam("emoji") String emoji) {
        reactions.remove(Caller.of(identity), roomId, messageId, emoji);
    }
}
