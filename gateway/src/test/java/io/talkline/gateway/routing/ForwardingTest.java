package io.talkline.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.Metrics;
import io.vertx.core.json.JsonObject;

/** How plain requests and answers cross the gateway: headers, bodies, protocol versions, broken exchanges. */
@QuarkusTest
class ForwardingTest {

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void hopByHopHeadersStayOnTheirHopBothWays() throws IOException {
        String answer = rawOne("GET /api/calls/c1/headers HTTP/1.1\r\nHost: talkline.test\r\n"
                + "Connection: X-Hop\r\nX-Hop: for the gateway only\r\nKeep-Alive: timeout=30\r\n"
                + "TE: trailers\r\nProxy-Authorization: Basic Z2F0ZXdheQ==\r\nX-End-To-End: kept\r\n"
                + "Authorization: Bearer opaque\r\n\r\n");
        JsonObject seen = new JsonObject(body(answer));
        assertEquals("kept", seen.getString("x-end-to-end"), seen.encode());
        assertEquals("Bearer opaque", seen.getString("authorization"), seen.encode());
        for (String hop : new String[] { "x-hop", "keep-alive", "te", "proxy-authorization" }) {
            assertFalse(seen.containsKey(hop), hop + " reached the service: " + seen.encode());
        }
        String head = head(answer).toLowerCase();
        assertTrue(head.contains("x-kept: yes"), head);
        assertFalse(head.contains("x-internal"), head);
        assertFalse(head.contains("keep-alive"), head);
    }

    /**
     * The client's trace goes on through the gateway (ADR 0020): the service gets one traceparent,
     * of the client's trace, whose parent is the gateway's own span rather than the client's.
     */
    @Test
    void theTraceContinuesThroughTheGatewayWithItsOwnSpan() throws IOException {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String clientSpan = "00f067aa0ba902b7";
        JsonObject seen = new JsonObject(body(rawOne("GET /api/calls/c1/headers HTTP/1.1\r\nHost: talkline.test\r\n"
                + "traceparent: 00-" + traceId + "-" + clientSpan + "-01\r\ntracestate: vendor=client\r\n\r\n")));
        String traceparent = seen.getString("traceparent");
        Matcher w3c = TRACEPARENT.matcher(String.valueOf(traceparent));
        assertTrue(w3c.matches(), "one W3C traceparent reaches the service: " + seen.encode());
        assertEquals(traceId, w3c.group(1), seen.encode());
        assertFalse(clientSpan.equals(w3c.group(2)), "the parent is the gateway's span: " + seen.encode());
        // the trace's state goes along with it, once (W3C: kept by every hop of the trace)
        assertEquals("vendor=client", seen.getString("tracestate"), seen.encode());

        // no trace from the client: the gateway starts one
        JsonObject fresh = new JsonObject(body(rawOne("GET /api/calls/c1/headers HTTP/1.1\r\nHost: talkline.test\r\n\r\n")));
        Matcher started = TRACEPARENT.matcher(String.valueOf(fresh.getString("traceparent")));
        assertTrue(started.matches(), fresh.encode());
        assertFalse(traceId.equals(started.group(1)));
    }

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]");

    @Test
    void anAnswerWithoutLengthStreamsThroughAndIsWholeForHttp10Clients() throws Exception {
        HttpResponse<String> chunked = http11().send(get("/api/calls/c1/stream"), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, chunked.statusCode());
        assertEquals("part one, part two", chunked.body());

        // HTTP/1.0 has no chunked encoding: the answer comes whole, with its length
        String answer = raw("GET /api/calls/c1/stream HTTP/1.0\r\nHost: talkline.test\r\n\r\n");
        assertTrue(head(answer).toLowerCase().contains("content-length: 18"), head(answer));
        assertFalse(head(answer).toLowerCase().contains("chunked"), head(answer));
        assertEquals("part one, part two", body(answer));
    }

    @Test
    void expectContinueIsAnsweredAndTheBodyForwarded() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/calls/c1 HTTP/1.1\r\nHost: talkline.test\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 11\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String interim = readUntilBlankLine(in);
            assertTrue(interim.startsWith("HTTP/1.1 100"), interim);
            out.write("{\"a\":\"bcd\"}".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertEquals(11, new JsonObject(body(answer)).getLong("bodyBytes"), answer);
        }
    }

    @Test
    void http2RequestsAreForwardedWithAndWithoutBodies() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        h2.send(get("/api/calls/c1"), HttpResponse.BodyHandlers.ofString()); // the h2c upgrade
        HttpResponse<String> noBody = h2.send(get("/api/calls/c1/headers"), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, noBody.version());
        JsonObject seen = new JsonObject(noBody.body());
        assertFalse(seen.containsKey("transfer-encoding"), "a GET got a body: " + seen.encode());
        assertFalse(seen.containsKey("content-length"), seen.encode());

        byte[] body = new byte[40_000];
        HttpResponse<String> streamed = h2.send(HttpRequest.newBuilder(uri("/api/calls/c1/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, streamed.version());
        assertEquals(200, streamed.statusCode(), streamed.body());
        assertEquals(body.length, new JsonObject(streamed.body()).getLong("bodyBytes"));
    }

    @Test
    void headAnswersCarryNoBody() throws Exception {
        HttpResponse<String> head = http11().send(HttpRequest.newBuilder(uri("/api/calls/c1"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void anAnswerBrokenMidBodyBreaksTheClientsConnection() {
        // the head is out, so no problem can be sent: the client must not take the part for the whole
        assertThrows(IOException.class,
                () -> http11().send(get("/api/calls/c1/cut"), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aClientThatLeavesReleasesTheUpstreamExchange() throws IOException {
        // The upstream timeout (1 s here) would end the held exchange too, so when it ended says
        // little on a loaded machine; how it ended says which did it: the client's leaving resets
        // the exchange (a failure counted as 502), the timeout would count a 504.
        double resets = failedExchanges(502);
        double timeouts = failedExchanges(504);
        FakeUpstreams.released.set(0);
        try (Socket socket = connect()) {
            FakeUpstreams.held.set(0);
            socket.getOutputStream().write("GET /api/calls/c1/hold HTTP/1.1\r\nHost: talkline.test\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> FakeUpstreams.held.get() != 0);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> FakeUpstreams.released.get() != 0);
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> failedExchanges(502) + failedExchanges(504) > resets + timeouts);
        assertEquals(resets + 1, failedExchanges(502), "the exchange was reset when the client left");
        assertEquals(timeouts, failedExchanges(504), "the exchange was left to the upstream timeout");
    }

    /** Exchanges with signaling that ended without an answer, by the status they were counted as. */
    private static double failedExchanges(int status) {
        return Metrics.value("gateway_upstream_latency_seconds_count", "service=signaling", "outcome=failed",
                "status=" + status);
    }

    @Test
    void aRefusedWebSocketHandshakeComesBackWithTheServicesProblem() throws IOException {
        String answer = rawOne("GET /ws/signal?refuse HTTP/1.1\r\nHost: talkline.test\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
        assertTrue(head(answer).toLowerCase().contains("content-type: application/problem+json"), head(answer));
        assertEquals("refused by signaling", new JsonObject(body(answer)).getString("detail"));
    }

    private static HttpClient http11() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build();
    }

    private URI uri(String path) {
        return URI.create("http://" + gateway.getHost() + ":" + gateway.getPort() + path);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(gateway.getHost(), gateway.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends a request as written and reads until the gateway closes the connection. */
    private String raw(String request) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Sends a request as written and reads one answer, by its Content-Length. */
    private String rawOne(String request) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String head = readUntilBlankLine(in);
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            assertTrue(length.find(), head);
            return head + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
        }
    }

    private static String readUntilBlankLine(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            text.append((char) next);
        }
        return text.toString();
    }

    private static String head(String answer) {
        return answer.substring(0, answer.indexOf("\r\n\r\n"));
    }

    private static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }
}
