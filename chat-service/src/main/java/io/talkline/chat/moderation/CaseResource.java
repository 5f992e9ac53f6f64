package io.talkline.chat.moderation;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.chat.moderation.ModerationViews.CasePage;
import io.talkline.chat.moderation.ModerationViews.CaseView;
import io.talkline.chat.room.Caller;

@Path("/api/moderation/cases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({ "moderator", "admin" })
@RunOnVirtualThread
@SecurityRequirement(name = "BearerAuth")
@Tag(name = "moderation")
public class CaseResource {

    public record ActionRequest(@NotNull String action, Integer durationSeconds, String scope,
            @Size(max = 1000) String note) {
    }

    private final CaseService cases;
    private final SecurityIdentity identity;

    public CaseResource(CaseService cases, SecurityIdentity identity) {
        this.cases = cases;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Cases, newest first, filtered by status, kind and room; page on with nextCursor")
    public CasePage list(@QueryParam("status") String status, @QueryParam("kind") String kind,
            @QueryParam("roomId") String roomId, @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("cursor") String cursor) {
        return cases.list(status, kind, roomId, limit, cursor);
    }

    @GET
    @Path("/{caseId}")
    @Operation(summary = "One case: the message as it was when the case opened, and the messages around it now")
    public CaseView read(@PathParam("caseId") String caseId) {
        return cases.read(caseId);
    }

    @POST
    @Path("/{caseId}/actions")
    @Operation(summary = "Resolve the case: dismiss, delete_message, mute_user (durationSeconds, scope room|global) "
            + "or disable_user (through auth-service); 409 when it was resolved already")
    public CaseView act(@PathParam("caseId") String caseId, @Valid @NotNull ActionRequest action) {
        return cases.act(Caller.of(identity), caseId,
                new CaseService.Action(action.action(), action.durationSeconds(), action.scope(), action.note()));
    }
}
