package io.talkline.chat.message;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Every answer of the room API carries conversation content (message bodies, rooms with their last
 * message, members, receipts, presence): no browser, proxy or shared cache may keep a copy of it.
 */
@Provider
public class NoStore implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getUriInfo().getPath().startsWith("/api/rooms")) {
            response.getHeaders().putSingle("Cache-Control", "no-store");
        }
    }
}
