package io.talkline.chat.room;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.chat.room.RoomViews.Items;
import io.talkline.chat.room.RoomViews.NewMember;
import io.talkline.chat.room.RoomViews.NewRoom;
import io.talkline.chat.room.RoomViews.RoleChange;
import io.talkline.chat.room.RoomViews.RoomView;

@Path("/api/rooms")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@RunOnVirtualThread
@SecurityRequirement(name = "BearerAuth")
public class RoomResource {

    private final RoomService rooms;
    private final SecurityIdentity identity;

    public RoomResource(RoomService rooms, SecurityIdentity identity) {
        this.rooms = rooms;
        this.identity = identity;
    }

    @POST
    @Operation(summary = "Open a direct room (one per pair: asking again answers 200 with it) or create a group")
    public Response open(@Valid @NotNull NewRoom request) {
        RoomService.Opened opened = rooms.open(Caller.of(identity), request);
        return Response.status(opened.created() ? 201 : 200).entity(opened.room()).build();
    }

    @GET
    @Operation(summary = "The caller's rooms, most recently active first, with last message and unread count")
    public Items<RoomView> list() {
        return new Items<>(rooms.list(identity.getPrincipal().getName()));
    }

    @GET
    @Path("/{roomId}")
    @Operation(summary = "A room with its members; 404 for a room the caller is not in")
    public RoomView get(@PathParam("roomId") String roomId) {
        return rooms.get(Caller.of(identity), roomId);
    }

    @POST
    @Path("/{roomId}/members")
    @Operation(summary = "Add a member (room owner or admin, or a moderator)")
    public Response addMember(@PathParam("roomId") String roomId, @Valid @NotNull NewMember member) {
        return Response.status(201).entity(rooms.addMember(Caller.of(identity), roomId, member.userId(), member.role()))
                .build();
    }

    @PATCH
    @Path("/{roomId}/members/{userId}")
    @Operation(summary = "Change a member's role: owner or admins set admin/member; the owner (or staff) hands ownership over")
    public RoomView changeRole(@PathParam("roomId") String roomId, @PathParam("userId") String userId,
            @Valid @NotNull RoleChange change) {
        return rooms.changeRole(Caller.of(identity), roomId, userId, change.role());
    }

    @DELETE
    @Path("/{roomId}/members/{userId}")
    @Operation(summary = "Remove a member (room owner or admin), or leave (oneself)")
    public void removeMember(@PathParam("roomId") String roomId, @PathParam("userId") String userId) {
        rooms.removeMember(Caller.of(identity), roomId, userId);
    }
}
