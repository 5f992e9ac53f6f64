package io.talkline.signaling.room;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** chat-service's room API (api.md), asked with the caller's own token: chat decides who sees what. */
@RegisterRestClient(configKey = "chat")
@Path("/api/rooms")
public interface ChatRooms {

    record Member(String userId, String role) {
    }

    record Room(String id, String type, List<Member> members) {
    }

    @GET
    @Path("/{roomId}")
    Room room(@HeaderParam("Authorization") String authorization, @PathParam("roomId") String roomId);
}
