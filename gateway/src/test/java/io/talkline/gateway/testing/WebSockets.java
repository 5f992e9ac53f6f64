package io.talkline.gateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** Opening sockets through the gateway, and what a refused handshake answered. */
public final class WebSockets {

    private WebSockets() {
    }

    /** The gateway's address for a socket path, e.g. {@code /ws/chat?access_token=…}. */
    public static URI uri(int port, String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
    }

    /** An open socket (its messages unread), or the handshake's failure. */
    public static WebSocket open(HttpClient client, URI uri) {
        return client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
        }).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The answer to a handshake that must be refused; an opened socket fails the test. */
    public static HttpResponse<?> refused(HttpClient client, URI uri) {
        try {
            WebSocket opened = open(client, uri);
            opened.abort();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refusal) {
                return refusal.getResponse();
            }
            throw e;
        }
        throw new AssertionError("the socket was admitted: " + uri.getPath());
    }

    public static void close(WebSocket socket) {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).join();
    }
}
