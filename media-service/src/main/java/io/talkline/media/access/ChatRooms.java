package io.talkline.media.access;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** chat-service's rooms, asked with the caller's own token: 200 for a member, 404 for anyone else. */
@RegisterRestClient(configKey = "chat")
@Path("/api/rooms")
public interface ChatRooms {

    @GET
    @Path("/{roomId}")
    Response room(@PathParam("roomId") String roomId, @HeaderParam("Authorization") String authorization);
}
