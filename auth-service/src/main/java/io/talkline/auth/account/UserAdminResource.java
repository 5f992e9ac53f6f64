package io.talkline.auth.account;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.talkline.commons.problem.ProblemException;

@Path("/api/auth/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UserAdminResource {

    /** A public profile: what any signed-in user may learn about another. */
    public record Profile(String id, String username, String displayName) {
    }

    public record RolesChange(@NotNull @Size(max = 3) List<@NotNull String> roles) {
    }

    public record DisabledChange(@NotNull Boolean disabled, @Size(max = 500) String reason) {
    }

    private final AdminService admin;
    private final SecurityIdentity identity;

    public UserAdminResource(AdminService admin, SecurityIdentity identity) {
        this.admin = admin;
        this.identity = identity;
    }

    @GET
    @Authenticated
    @RunOnVirtualThread
    public Map<String, List<Profile>> search(@QueryParam("query") @NotNull @Size(min = 2, max = 64) String query) {
        return Map.of("items", admin.search(query).stream().map(u -> new Profile(u.id, u.username, u.displayName)).toList());
    }

    @PUT
    @Path("/{id}/roles")
    @RolesAllowed("admin")
    @RunOnVirtualThread
    public UserView roles(@PathParam("id") String id, @Valid @NotNull RolesChange change) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String role : change.roles()) {
            try {
                roles.add(Role.parse(role));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("roles", "unknown role '" + role + "' (user, moderator, admin)");
            }
        }
        return UserView.full(admin.replaceRoles(id, roles, identity.getPrincipal().getName()));
    }

    @PUT
    @Path("/{id}/disabled")
    @RolesAllowed({ "admin", "moderator" })
    @RunOnVirtualThread
    public UserView disabled(@PathParam("id") String id, @Valid @NotNull DisabledChange change) {
        return UserView.full(admin.setDisabled(id, change.disabled(), change.reason(), identity.getPrincipal().getName(),
                identity.hasRole("admin")));
    }
}
