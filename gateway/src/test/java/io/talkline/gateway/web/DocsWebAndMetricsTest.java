package io.talkline.gateway.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.gateway.security.SecurityAssertions;

@QuarkusTest
class DocsWebAndMetricsTest {

    @Test
    void docsListEveryServiceAndServeTheirDocuments() {
        String page = given().get("/docs/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .extract().asString();
        for (String service : new String[] { "auth", "chat", "signaling", "media", "audit" }) {
            org.junit.jupiter.api.Assertions.assertTrue(page.contains("/docs/openapi/" + service), service);
        }
        // fetched from a ready instance of the service
        given().get("/docs/openapi/chat").then().statusCode(200)
                .body("uri", equalTo("/q/openapi?format=json")).body("instance", containsString("chat-"));
        given().get("/docs/openapi/audit").then().statusCode(503).contentType("application/problem+json");
        given().get("/docs/openapi/nope").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void theAsyncApiDocumentOfTheRepositoryIsServedBesideSwagger() throws java.io.IOException {
        byte[] served = given().get("/docs/asyncapi.yaml").then().statusCode(200)
                .contentType(containsString("application/yaml"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .extract().asByteArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                java.nio.file.Files.readAllBytes(java.nio.file.Path.of("../docs/asyncapi.yaml")), served,
                "the gateway serves docs/asyncapi.yaml as it is in the repository");
    }

    @Test
    void webClientIsServedWithCachingThatFitsEachFile() {
        SecurityAssertions.hardened(given().get("/").then().statusCode(200)
                .contentType(containsString("text/html")).header("Cache-Control", "no-cache")
                .body(containsString("<title>Talkline</title>")));
        given().get("/assets/app-3f9a1c2b.js").then().statusCode(200)
                .header("Cache-Control", "public, max-age=31536000, immutable");
        given().get("/favicon.svg").then().statusCode(200).header("Cache-Control", "no-cache");
        // a client-side route gets the app; a missing file does not
        given().get("/rooms/42").then().statusCode(200).body(containsString("<title>Talkline</title>"));
        given().get("/assets/missing-00000000.js").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/nothing-here").then().statusCode(404).body(not(containsString("<title>")));
    }

    @Test
    void metricsPerRouteStatusUpstreamLatencyAndTunnels() {
        given().get("/api/rooms/r-123/messages").then().statusCode(200);
        given().body(new byte[70_000]).post("/api/rooms/r-456/messages").then().statusCode(413);
        given().get("/assets/missing-4d2e.js").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("uri=\"/api/rooms/*\""))
                // refusals the gateway answers itself are counted under their route too
                .body(org.hamcrest.Matchers.matchesPattern(
                        "(?s).*http_server_requests_seconds_count\\{[^}]*status=\"413\"[^}]*uri=\"/api/rooms/\\*\".*"))
                .body(containsString("uri=\"NOT_FOUND\""))
                .body(not(containsString("r-123"))).body(not(containsString("r-456"))).body(not(containsString("4d2e")))
                .body(containsString("gateway_upstream_latency_seconds_bucket"))
                .body(containsString("service=\"chat\""))
                .body(containsString("gateway_websocket_tunnels"));
    }
}
