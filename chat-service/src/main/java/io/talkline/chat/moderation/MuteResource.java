package io.talkline.chat.moderation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.chat.moderation.ModerationViews.MuteList;

@Path("/api/moderation/mutes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ "moderator", "admin" })
@RunOnVirtualThread
@SecurityRequirement(name = "BearerAuth")
@Tag(name = "moderation")
public class MuteResource {

    public record NewMute(@NotBlank @Size(max = 36) String userId, @Size(min = 1, max = 36) String roomId,
            @NotNull @Min(1) @Max(MuteService.MOST_SECONDS) Integer durationSeconds,
            @NotBlank @Size(max = 1000) String reason) {
    }

    private final MuteService mutes;
    private final SecurityIdentity identity;

    public MuteResource(MuteService mutes, SecurityIdentity identity) {
        this.mutes = mutes;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Active mutes, newest first; for a room, also those that hold everywhere")
    public MuteList list(@QueryParam("userId") String userId, @QueryParam("roomId") String roomId) {
        return new MuteList(mutes.active(userId, roomId));
    }

    @POST
    @Operation(summary = "Mute a user in one room (roomId) or everywhere (no roomId) for durationSeconds: 201 mute")
    public Response add(@Valid @NotNull NewMute mute) {
        return Response.status(201).entity(mutes.add(identity.getPrincipal().getName(), mute.userId(), mute.roomId(),
                mute.durationSeconds(), mute.reason())).build();
    }

    @DELETE
    @Path("/{muteId}")
    @Operation(summary = "Lift a mute: 204 (also when it was lifted or over already)")
    public Response lift(@PathParam("muteId") String muteId) {
        mutes.lift(identity.getPrincipal().getName(), muteId);
        return Response.noContent().build();
    }
}
