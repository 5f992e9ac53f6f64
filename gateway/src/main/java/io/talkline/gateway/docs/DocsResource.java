package io.talkline.gateway.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;

/**
 * What sits beside Swagger UI at /docs: {@code /docs/openapi/{service}}, one OpenAPI document per
 * service (what Swagger UI reads), and {@code /docs/asyncapi.yaml}, the AsyncAPI document of the
 * sockets and the Kafka topics (the repository's docs/asyncapi.yaml, packed into the gateway).
 */
@Path("/docs")
public class DocsResource {

    private static final String ASYNC_API = "docs/asyncapi.yaml";

    private final ServiceDocs docs;
    private final byte[] asyncApi;

    public DocsResource(ServiceDocs docs) {
        this.docs = docs;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(ASYNC_API)) {
            if (in == null) {
                throw new IllegalStateException(ASYNC_API + " is missing from the gateway's build");
            }
            this.asyncApi = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("/openapi/{service}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<String> openApi(@PathParam("service") String service) {
        return docs.openApi(service);
    }

    @GET
    @Path("/asyncapi.yaml")
    @Produces("application/yaml")
    public byte[] asyncApi() {
        return asyncApi;
    }
}
