package io.talkline.chat.media;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** media-service's items, asked with the sender's own token: it answers only what they may read. */
@RegisterRestClient(configKey = "media")
@Path("/api/media")
public interface MediaItems {

    @GET
    @Path("/{id}")
    Response item(@PathParam("id") String id, @HeaderParam("Authorization") String authorization);
}
