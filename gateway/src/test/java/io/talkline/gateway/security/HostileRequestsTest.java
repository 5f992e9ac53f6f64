package io.talkline.gateway.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.Metrics;
import io.talkline.gateway.routing.FakeUpstreams;
import io.vertx.core.json.JsonObject;

/** What an attacker or a fuzzer sends: other spellings of a path, broken HTTP, forged tokens, odd paths. */
@QuarkusTest
class HostileRequestsTest {

    @TestHTTPResource("/")
    URL gateway;

    /** A client of its own address (127.0.0.x), so other tests' budgets do not count. */
    private HttpResponse<String> from(String address, HttpRequest.Builder request) throws Exception {
        HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName(address)).build();
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder post(String rawPath) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.getPort() + rawPath))
                .POST(HttpRequest.BodyPublishers.noBody());
    }

    @Test
    void everySpellingOfALimitedPathSharesItsPolicyAndIsPassedOnCanonical() throws Exception {
        String client = "127.0.0.3";
        // the auth policy allows 3 a minute here; before, each spelling had the anonymous budget
        for (String spelling : List.of("/api/auth/logi%6E", "/api/auth/./login/", "/api//auth/login")) {
            HttpResponse<String> answer = from(client, post(spelling));
            assertEquals(200, answer.statusCode(), spelling);
            assertEquals("3", answer.headers().firstValue("RateLimit-Limit").orElse(null), spelling);
            assertEquals("/api/auth/login", new JsonObject(answer.body()).getString("uri"), spelling);
        }
        HttpResponse<String> refused = from(client, post("/api/auth/login"));
        assertEquals(429, refused.statusCode());
        // meanings that could differ between the gateway and a service are refused outright
        for (String spelling : List.of("/api/auth/login;jsessionid=1", "/api/auth%2Flogin", "/api/auth/login%5C",
                "/api/auth/login%00")) {
            HttpResponse<String> answer = from("127.0.0.5", post(spelling));
            assertEquals(400, answer.statusCode(), spelling);
            assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(null), spelling);
        }
    }

    @Test
    void theQueryIsPassedOnAsSent() {
        given().urlEncodingEnabled(false).get("/api/rooms/./r1/messages/?after=3&limit=%32").then().statusCode(200)
                .body("uri", equalTo("/api/rooms/r1/messages?after=3&limit=%32"));
    }

    /** What a raw client gets back: the status line, the headers (lower case) and the body. */
    private record Raw(int status, java.util.Map<String, String> headers, String body) {
    }

    private Raw raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            // read up to the end of the answer: the connection may stay open (or close, after a malformed request)
            for (int n; !complete(bytes.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buffer)) >= 0;) {
                bytes.write(buffer, 0, n);
            }
            String text = bytes.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
        }
    }

    /** A head and as many body bytes as its Content-Length says. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)")
                .matcher(text.substring(0, end));
        return length.find() && text.length() - end - 4 >= Integer.parseInt(length.group(1));
    }

    private static void problem(Raw answer, int status) {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals("application/problem+json", answer.headers().get("content-type"), answer.toString());
        assertEquals("nosniff", answer.headers().get("x-content-type-options"), answer.toString());
        assertTrue(answer.headers().containsKey("content-security-policy"), answer.toString());
        assertTrue(answer.headers().containsKey("x-request-id"), answer.toString());
        assertEquals(status, new JsonObject(answer.body()).getInteger("status"), answer.toString());
    }

    @Test
    void malformedHttpIsAnsweredWithAProblemAndTheSecurityHeaders() throws Exception {
        // the handler is put in place once the server listens
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> problem(
                raw("POST /api/auth/login HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n"), 400));
        problem(raw("GET /api/rooms\\x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), 400);
        problem(raw("GET /api/rooms HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n"), 400);
        // valid HTTP the router refuses on arrival, before any filter: still the id and the headers
        problem(raw("OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), 404);
        problem(raw("CONNECT 127.0.0.1:3306 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), 404);
        problem(raw("GET /api/rooms HTTP/1.1\r\nConnection: close\r\n\r\n"), 400);
        // handshakes a service would refuse with Vert.x' bare answer
        Raw version = raw("GET /ws/chat HTTP/1.1\r\nHost: a\r\nUpgrade: WebSocket, foo\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n");
        problem(version, 426);
        assertEquals("13", version.headers().get("sec-websocket-version"));
        problem(raw("GET /ws/chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n"), 400);
        problem(raw("GET /api/rooms?" + "a=1&".repeat(2_500) + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), 414);
        // past the codec's own hard limit too
        problem(raw("GET /api/rooms?" + "a=1&".repeat(20_000) + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), 414);
    }

    @Test
    void foreignPathsUnderQAndDocsDoNotBecomeSeries() {
        String marker = UUID.randomUUID().toString();
        given().header("Origin", "https://evil.example").get("/q/" + marker).then().statusCode(403);
        given().options("/q/" + marker + "x");
        given().header("X-Big", "y".repeat(17 * 1024)).get("/q/" + marker + "y").then().statusCode(431);
        given().get("/docs/" + marker).then().statusCode(org.hamcrest.Matchers.lessThan(500));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(metrics.contains(marker), "a path became a metric label");
        assertTrue(metrics.contains("uri=\"/q/*\""), "unknown /q/ paths are one series");
    }

    /** A token with a real kid and a broken signature: it costs a signature check to refuse. */
    private static String forged() {
        String real = FakeUpstreams.token("u-" + UUID.randomUUID());
        return real.substring(0, real.lastIndexOf('.') + 1) + "A".repeat(86);
    }

    @Test
    void aRefusedTokenIsRememberedAndUnknownTokensPayTheAddressFirst() throws Exception {
        String token = forged();
        double before = Metrics.value("gateway_tokens_checked_total");
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> answer = from("127.0.0.6", HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + gateway.getPort() + "/api/rooms"))
                    .header("Authorization", "Bearer " + token).GET());
            assertEquals(200, answer.statusCode()); // the service answers it; here the fake one accepts all
        }
        assertEquals(before + 1, Metrics.value("gateway_tokens_checked_total"), "checked once, then remembered");

        // forged tokens, each new, from one address: past the anonymous budget none is checked any more
        int checkedBefore = (int) Metrics.value("gateway_tokens_checked_total");
        int refused = 0;
        for (int i = 0; i < 150; i++) {
            HttpResponse<String> answer = from("127.0.0.7", HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + gateway.getPort() + "/api/rooms"))
                    .header("Authorization", "Bearer " + forged()).GET());
            refused += answer.statusCode() == 429 ? 1 : 0;
        }
        int checked = (int) Metrics.value("gateway_tokens_checked_total") - checkedBefore;
        assertTrue(refused >= 10, refused + " refused");
        // a refused request cost no signature check (before, every one of the 150 was checked first)
        assertTrue(checked <= 150 - refused, checked + " signature checks, " + refused + " refused");
    }

    @Test
    void logsNameThePathNeverTheQuery() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.talkline");
        logger.addHandler(capture);
        try {
            given().get("/api/rooms/slow?access_token=secret-token-value").then().statusCode(504);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(l -> l.contains("504")));
            assertTrue(lines.stream().noneMatch(line -> line.contains("secret-token-value")), lines.toString());
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void forwardingHeadersOfTheClientAreNotPassedOn() {
        given().header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Port", "443").header("Forwarded", "host=evil.example;proto=https")
                .get("/api/rooms/headers").then().statusCode(200)
                .body("$", not(hasKey("x-forwarded-host"))).body("$", not(hasKey("x-forwarded-proto")))
                .body("$", not(hasKey("x-forwarded-port"))).body("$", not(hasKey("forwarded")))
                .body("'x-forwarded-for'", equalTo("127.0.0.1"));
    }
}
