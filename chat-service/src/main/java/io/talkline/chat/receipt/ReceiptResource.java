package io.talkline.chat.receipt;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import io.talkline.chat.room.RoomViews.Items;

@Path("/api/rooms/{roomId}/receipts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
@RunOnVirtualThread
@SecurityRequirement(name = "BearerAuth")
public class ReceiptResource {

    public record Mark(@NotNull @Pattern(regexp = "delivered|seen", message = "must be delivered or seen") String kind,
            @NotNull @Min(0) Long upToSeq) {
    }

    private final ReceiptService receipts;
    private final SecurityIdentity identity;

    public ReceiptResource(ReceiptService receipts, SecurityIdentity identity) {
        this.receipts = receipts;
        this.identity = identity;
    }

    @POST
    @Operation(summary = "Mark messages up to a seq delivered or seen (only forward; seen implies delivered)")
    public void mark(@PathParam("roomId") String roomId, @Valid @NotNull Mark mark) {
        receipts.mark(Caller.of(identity), roomId, mark.kind(), mark.upToSeq());
    }

    @GET
    @Operation(summary = "Every member's delivered and seen seq")
    public Items<ReceiptService.Receipt> list(@PathParam("roomId") String roomId) {
        return new Items<>(receipts.list(Caller.of(identity), roomId));
    }
}
