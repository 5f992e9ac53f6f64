package io.talkline.gateway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The gateway's entry point. Quarkus' HTTP root handler answers a request target that
 * {@link java.net.URI} cannot parse (a backslash, a raw '{' or '|') with a bare 400 of its own,
 * before any route; it checks only while {@code vertx.disableURIValidation} is unset, and reads that
 * once, when the server starts. The gateway judges request targets itself
 * ({@link io.talkline.gateway.routing.RequestPath}) and answers with a problem document and the
 * security headers, so the property is set here, before Quarkus starts.
 */
@QuarkusMain
public class GatewayMain {

    public static void main(String... args) {
        System.setProperty("vertx.disableURIValidation", "true");
        Quarkus.run(args);
    }
}
