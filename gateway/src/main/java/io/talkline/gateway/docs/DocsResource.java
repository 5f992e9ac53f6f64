package io.talkline.gateway.docs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

/** /docs/openapi/{service}: what Swagger UI at /docs reads, one document per service. */
@Path("/docs/openapi")
public class DocsResource {

    private final ServiceDocs docs;

    public DocsResource(ServiceDocs docs) {
        this.docs = docs;
    }

    @GET
    @Path("/{service}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<String> openApi(@PathParam("service") String service) {
        return docs.openApi(service);
    }
}
