package io.talkline.chat.presence;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.chat.room.Caller;
import io.talkline.chat.room.RoomService;

/** Where a client starts from; the socket's presence frames keep it current. */
@Path("/api/rooms/{roomId}/presence")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@RunOnVirtualThread
@SecurityRequirement(name = "BearerAuth")
public class PresenceResource {

    public record Statuses(List<Presence.Status> items) {
    }

    private final RoomService rooms;
    private final Presence presence;
    private final SecurityIdentity identity;

    public PresenceResource(RoomService rooms, Presence presence, SecurityIdentity identity) {
        this.rooms = rooms;
        this.presence = presence;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Each member's presence: online or offline, and when last seen")
    public Statuses get(@PathParam("roomId") String roomId) {
        return new Statuses(presence.lookup(rooms.memberIds(Caller.of(identity), roomId)));
    }
}
