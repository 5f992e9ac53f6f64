package io.talkline.chat.moderation;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** auth-service's account administration, asked with the moderator's own token: it decides who may disable. */
@RegisterRestClient(configKey = "auth")
@Path("/api/auth/users")
public interface AuthAccounts {

    @PUT
    @Path("/{id}/disabled")
    @Consumes(MediaType.APPLICATION_JSON)
    Response disable(@PathParam("id") String userId, @HeaderParam("Authorization") String authorization,
            Map<String, Object> body);
}
