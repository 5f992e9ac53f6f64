package io.talkline.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Browser-facing hardening: security headers everywhere, CORS allow-list (HTTP and WebSocket), body limits. */
@QuarkusTest
class HardeningTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String ALLOWED = "http://localhost:8080";
    private static final String FOREIGN = "https://evil.example";

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void securityHeadersOnSuccessErrorsAndUnavailable() {
        SecurityAssertions.hardened(given().get("/api/rooms").then().statusCode(200));
        SecurityAssertions.hardened(given().get("/api/no-such-route").then().statusCode(404));
        SecurityAssertions.hardened(given().get("/api/audit/events").then().statusCode(503));
        SecurityAssertions
                .hardened(given().contentType("application/json").body(new byte[70 * 1024]).post("/api/rooms/r1/messages")
                        .then().statusCode(413));
    }

    @Test
    void preflightFromAnAllowedOrigin() {
        given().header("Origin", ALLOWED).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/api/rooms")
                .then().statusCode(204)
                .header("Access-Control-Allow-Origin", ALLOWED)
                .header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Max-Age", "600");
    }

    @Test
    void aForeignOriginGetsNoCorsHeadersAndA403Problem() {
        given().header("Origin", FOREIGN).header("Access-Control-Request-Method", "POST").options("/api/rooms")
                .then().statusCode(403).contentType(PROBLEM).header("Access-Control-Allow-Origin", nullValue());
        SecurityAssertions.hardened(given().header("Origin", FOREIGN).get("/api/rooms")
                .then().statusCode(403).contentType(PROBLEM).header("Access-Control-Allow-Origin", nullValue()));
    }

    @Test
    void anAllowedOriginSeesTheExposedHeaders() {
        given().header("Origin", ALLOWED).get("/api/rooms").then().statusCode(200)
                .header("Access-Control-Allow-Origin", ALLOWED)
                .header("Access-Control-Expose-Headers", containsString("X-Request-Id"))
                .header("Access-Control-Expose-Headers", containsString("RateLimit-Remaining"));
    }

    @Test
    void webSocketUpgradeChecksOrigin() throws Exception {
        URI uri = URI.create("ws://" + gateway.getHost() + ":" + gateway.getPort() + "/ws/chat");
        WebSocket allowed = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", ALLOWED)
                .buildAsync(uri, new WebSocket.Listener() {
                }).get(10, TimeUnit.SECONDS);
        allowed.sendClose(WebSocket.NORMAL_CLOSURE, "ok").get(5, TimeUnit.SECONDS);
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", FOREIGN)
                    .buildAsync(uri, new WebSocket.Listener() {
                    }).orTimeout(10, TimeUnit.SECONDS).join();
            throw new AssertionError("a foreign origin opened a socket");
        } catch (CompletionException refused) {
            WebSocketHandshakeException handshake = (WebSocketHandshakeException) refused.getCause();
            assertEquals(403, handshake.getResponse().statusCode());
        }
    }

    @Test
    void jsonBodiesAreLimitedByContentLength() {
        given().contentType("application/json").body(new byte[65 * 1024]).post("/api/rooms/r1/messages")
                .then().statusCode(413).contentType(PROBLEM).body("status", equalTo(413))
                .body("detail", containsString("65536"));
        given().contentType("application/json").body(new byte[60 * 1024]).post("/api/rooms/r1/messages")
                .then().statusCode(200).body("bodyBytes", equalTo(60 * 1024));
    }

    @Test
    void chunkedBodiesCannotSlipPastTheLimit() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(gateway.toURI().resolve("/api/rooms/r1/messages"))
                        .header("Content-Type", "application/json")
                        // an InputStream body has no known length: the JDK client sends it chunked
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[200 * 1024])))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(PROBLEM));
    }

    @Test
    void mediaUploadsStreamThroughUpToTheirOwnLimit() throws Exception {
        byte[] five = new byte[5 * 1024 * 1024];
        given().contentType("application/octet-stream").body(five).post("/api/media")
                .then().statusCode(200).body("instance", equalTo("media")).body("bodyBytes", equalTo(five.length));
        given().contentType("application/octet-stream").body(new byte[7 * 1024 * 1024]).post("/api/media")
                .then().statusCode(413).contentType(PROBLEM);
        HttpResponse<String> chunked = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(gateway.toURI().resolve("/api/media"))
                        .POST(HttpRequest.BodyPublishers
                                .ofInputStream(() -> new ByteArrayInputStream(new byte[7 * 1024 * 1024])))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
    }

    @Test
    void oversizedHeadersAreA431Problem() {
        // over quarkus.http.limits.max-header-size (16 KiB) in all
        SecurityAssertions.hardened(given().header("X-Padding", "x".repeat(20 * 1024)).get("/api/rooms").then()
                .statusCode(431).contentType(PROBLEM).body("status", equalTo(431)));
        // under it (and under the fake upstream's own 8 KiB limit): passed on
        given().header("X-Padding", "x".repeat(4 * 1024)).get("/api/rooms").then().statusCode(200);
    }
}
