package io.talkline.auth.session;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers of the account API carry tokens (login, refresh) or personal data (me, sessions, users):
 * no browser, proxy or shared cache may keep a copy. The JWKS stays cacheable: it is public.
 */
@Provider
public class NoStore implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getUriInfo().getPath().startsWith("/api/auth")) {
            response.getHeaders().putSingle("Cache-Control", "no-store");
        }
    }
}
