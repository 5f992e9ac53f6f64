package io.talkline.chat.report;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
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
import io.talkline.chat.room.Caller;

@Path("/api/rooms/{roomId}/messages/{messageId}/reports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@RunOnVirtualThread
@SecurityRequirement(name = "BearerAuth")
public class ReportResource {

    public record NewReport(@NotBlank @Size(max = 1000) String reason) {
    }

    private final ReportService reports;
    private final SecurityIdentity identity;

    public ReportResource(ReportService reports, SecurityIdentity identity) {
        this.reports = reports;
        this.identity = identity;
    }

    @POST
    @Operation(summary = "Report a message to moderation: 202; reporting it again answers the same report")
    public Response report(@PathParam("roomId") String roomId, @PathParam("messageId") String messageId,
            @Valid @NotNull NewReport report) {
        return Response.accepted(reports.report(Caller.of(identity), roomId, messageId, report.reason())).build();
    }
}
