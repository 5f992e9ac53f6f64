package io.talkline.chat.moderation;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.chat.moderation.ModerationViews.RulesView;

@Path("/api/moderation/rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RunOnVirtualThread
@SecurityRequirement(name = "BearerAuth")
@Tag(name = "moderation")
public class RuleResource {

    public record Rules(List<Rule> rules) {
    }

    private final RuleStore rules;
    private final SecurityIdentity identity;

    public RuleResource(RuleStore rules, SecurityIdentity identity) {
        this.rules = rules;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({ "moderator", "admin" })
    @Operation(summary = "The rules in force on every instance, with their version")
    public RulesView get() {
        return rules.view();
    }

    @PUT
    @RolesAllowed("admin")
    @Operation(summary = "Replace the rules (admin): in force on every instance within seconds; 400 names the field at fault")
    public RulesView replace(@NotNull Rules body) {
        return rules.replace(identity.getPrincipal().getName(), body.rules());
    }
}
