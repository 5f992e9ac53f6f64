package io.talkline.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class GatewayRoutingTest {

    private static final String PROBLEM = "application/problem+json";

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void routesEachPublicPathToItsService() {
        given().get("/api/auth/me").then().statusCode(200).body("instance", equalTo("auth"));
        given().get("/.well-known/jwks.json").then().statusCode(200).body("instance", equalTo("auth"));
        given().get("/api/calls?roomId=1").then().statusCode(200).body("instance", equalTo("signaling"))
                .body("uri", equalTo("/api/calls?roomId=1"));
        given().get("/api/rooms/r1/messages?after=3").then().statusCode(200)
                .body("uri", equalTo("/api/rooms/r1/messages?after=3"));
    }

    @Test
    void aPathThatOnlySharesAPrefixIsNotRouted() {
        given().get("/api/roomsXYZ").then().statusCode(404).contentType(PROBLEM);
        given().get("/api/unknown").then().statusCode(404).contentType(PROBLEM).body("status", equalTo(404));
    }

    @Test
    void roundRobinAcrossHealthyInstancesAndFailoverPastADeadOne() throws Exception {
        awaitChatProbed();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            // chat-c is not ready and the fourth refuses connections: no request may go there or fail
            seen.add(given().get("/api/rooms").then().statusCode(200).extract().path("instance"));
        }
        assertEquals(Set.of("chat-a", "chat-b"), seen);

        // Failover proper: an instance that was ready refuses every new connection from one moment
        // on, as when a service dies between two probes. The fourth chat instance is the port where
        // nothing listens: something answers there now.
        String[] chat = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("gateway.services.chat.instances", String.class).split(",");
        int deadPort = URI.create(chat[chat.length - 1].trim()).getPort();
        try (DyingInstance dying = new DyingInstance(deadPort)) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready")
                    .then().body("checks.find { it.name == 'upstreams' }.data.chat", equalTo("3/4 ready")));
            dying.stopListening(); // new connections are refused, open ones closed, from here on
            Set<String> served = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                // whether a request meets it first (a refused connect fails over at once) or the
                // next probe (200 ms) takes it out, every request is answered by a live instance
                served.add(given().get("/api/rooms").then().statusCode(200).extract().path("instance"));
                sleep(100);
            }
            assertEquals(Set.of("chat-a", "chat-b"), served);
        }
        awaitChatProbed(); // back to nothing listening there
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A ready instance on a raw socket that can stop listening: from then on every new connection
     * is refused.
     */
    static final class DyingInstance implements AutoCloseable {
        final java.net.ServerSocket listener;
        final java.util.List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean listening = true;

        DyingInstance(int port) throws java.io.IOException {
            listener = new java.net.ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            Thread.ofVirtual().start(() -> {
                while (listening) {
                    try {
                        java.net.Socket socket = listener.accept();
                        accepted.add(socket);
                        Thread.ofVirtual().start(() -> serve(socket));
                    } catch (java.io.IOException e) {
                        return; // stopped listening
                    }
                }
            });
        }

        private void serve(java.net.Socket socket) {
            try (socket) {
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                        java.nio.charset.StandardCharsets.ISO_8859_1));
                var out = socket.getOutputStream();
                String requestLine;
                while ((requestLine = in.readLine()) != null) {
                    for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                        // GETs only: no body to read
                    }
                    String body = requestLine.contains(" /q/health/ready ") ? "{\"status\":\"UP\"}"
                            : "{\"instance\":\"chat-dying\"}";
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                            + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (java.io.IOException e) {
                // closed
            }
        }

        /**
         * Dies as a process does: new connections are refused and open ones closed. An open one left
         * serving (a probe's kept-alive connection) once answered a request after the "death".
         */
        void stopListening() throws java.io.IOException {
            close();
        }

        @Override
        public void close() throws java.io.IOException {
            listening = false;
            listener.close();
            for (java.net.Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void requestIdIsPassedOnAndEchoedOnce() {
        Response response = given().header("X-Request-Id", "gw-trace-1").get("/api/rooms");
        response.then().statusCode(200).body("requestId", equalTo("gw-trace-1")).header("X-Request-Id", "gw-trace-1");
        assertEquals(1, response.headers().getValues("X-Request-Id").size());

        Response generated = given().header("X-Request-Id", "no spaces allowed").get("/api/rooms");
        String id = generated.header("X-Request-Id");
        generated.then().body("requestId", equalTo(id));
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
    }

    @Test
    void upstreamsLearnTheClientAddressFromTheGatewayAlone() {
        given().header("X-Forwarded-For", "198.51.100.66").get("/api/rooms").then().statusCode(200)
                .body("forwardedFor", equalTo("127.0.0.1"));
    }

    @Test
    void noInstanceListeningIs503Problem() {
        given().header("X-Request-Id", "down-1").get("/api/audit/events")
                .then().statusCode(503).contentType(PROBLEM)
                .header("Retry-After", notNullValue())
                .body("status", equalTo(503))
                .body("detail", containsString("audit"))
                .body("requestId", equalTo("down-1"));
    }

    @Test
    void silentUpstreamIs504Problem() {
        given().get("/api/auth/slow").then().statusCode(504).contentType(PROBLEM).body("status", equalTo(504));
    }

    @Test
    void brokenExchangeIs502Problem() {
        given().get("/api/calls/broken").then().statusCode(502).contentType(PROBLEM).body("status", equalTo(502));
    }

    @Test
    void readinessListsUpstreams() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'upstreams' }.data.chat", equalTo("2/4 ready"))
                .body("checks.find { it.name == 'upstreams' }.data.audit", equalTo("0/1 ready")));
    }

    @Test
    void webSocketTunnelsToBothChatInstances() throws Exception {
        awaitChatProbed();
        Set<String> instances = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            String reply = roundTrip(gateway, "/ws/chat", "hello-" + i);
            assertTrue(reply.endsWith(":hello-" + i), reply);
            instances.add(reply.substring(0, reply.indexOf(':')));
        }
        assertEquals(Set.of("chat-a", "chat-b"), instances);
        assertTrue(roundTrip(gateway, "/ws/signal", "offer").startsWith("signaling:"));
    }

    /** Until the first probe, an instance counts as ready: wait for the gateway to have looked. */
    static void awaitChatProbed() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready")
                .then().body("checks.find { it.name == 'upstreams' }.data.chat", equalTo("2/4 ready")));
    }

    /** One text frame through the gateway's tunnel to an echoing instance, and its answer. */
    static String roundTrip(URL gateway, String path, String text) throws Exception {
        URI uri = URI.create("ws://" + gateway.getHost() + ":" + gateway.getPort() + path);
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                reply.complete(data.toString());
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        socket.sendText(text, true);
        String answer = reply.get(10, TimeUnit.SECONDS);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        return answer;
    }
}
