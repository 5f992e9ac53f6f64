import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * WebSocket round trip (ping frame → pong frame) latency, one socket, sequential, JDK only:
 *   java bench/WsRoundTrip.java "ws://127.0.0.1:18180/ws/chat?access_token=…" 20000
 * (the socket's greeting, ready, is not a reply)
 * Prints p50/p90/p99 in microseconds after a warm-up of 2,000 round trips.
 */
public class WsRoundTrip {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        AtomicReference<CompletableFuture<String>> pending = new AtomicReference<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                CompletableFuture<String> waiting = pending.get();
                if (waiting != null && !data.toString().contains("\"ready\"")) {
                    waiting.complete(data.toString());
                }
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        long[] micros = new long[rounds];
        for (int i = -2_000; i < rounds; i++) {
            CompletableFuture<String> reply = new CompletableFuture<>();
            pending.set(reply);
            long start = System.nanoTime();
            socket.sendText("{\"type\":\"ping\"}", true);
            reply.get(5, TimeUnit.SECONDS);
            if (i >= 0) {
                micros[i] = (System.nanoTime() - start) / 1_000;
            }
        }
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        Arrays.sort(micros);
        System.out.printf("%s rounds=%d p50=%dus p90=%dus p99=%dus%n", uri.resolve(uri.getPath()), rounds, micros[rounds / 2],
                micros[(int) (rounds * 0.90)], micros[(int) (rounds * 0.99)]);
    }
}
