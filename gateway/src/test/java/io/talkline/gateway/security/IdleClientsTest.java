package io.talkline.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A client that stops sending — half a request, or nothing at all on a WebSocket tunnel — is
 * disconnected after the idle timeout.
 */
@QuarkusTest
@TestProfile(IdleClientsTest.ShortIdle.class)
class IdleClientsTest {

    public static class ShortIdle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.idle-timeout", "1s");
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void halfARequestIsCutOffAfterTheIdleTimeout() throws Exception {
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress(gateway.getHost(), gateway.getPort()), 5_000);
            client.setSoTimeout(10_000);
            client.getOutputStream().write("GET /api/rooms HTTP/1.1\r\nHost: gateway\r\nX-Slow: "
                    .getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            InputStream in = client.getInputStream();
            while (in.read() != -1) {
                // whatever the gateway says before closing (nothing is expected)
            }
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waited >= 800 && waited < 5_000, "closed after " + waited + " ms");
        }
    }

    @Test
    void anIdleWebSocketTunnelIsClosedAfterTheIdleTimeout() throws Exception {
        CompletableFuture<String> echo = new CompletableFuture<>();
        CompletableFuture<String> ended = new CompletableFuture<>();
        URI uri = URI.create("ws://" + gateway.getHost() + ":" + gateway.getPort() + "/ws/signal");
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                echo.complete(data.toString());
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                ended.complete("closed " + statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                ended.complete("cut: " + error);
            }
        }).get(10, TimeUnit.SECONDS);
        socket.sendText("hello", true);
        assertEquals("signaling:hello", echo.get(10, TimeUnit.SECONDS), "the tunnel works");
        long started = System.nanoTime();
        // from now on the client sends nothing (not even pings): the gateway ends the tunnel
        String how = ended.get(10, TimeUnit.SECONDS);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(waited >= 800 && waited < 5_000, "tunnel " + how + " after " + waited + " ms");
    }
}
