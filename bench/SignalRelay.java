import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * signaling-service relay latency (BENCHMARKS.md; bench/signal.sh runs it), JDK only:
 *
 * SignalRelay AUTH CHAT SIG1 SIG2 [calls=500] [seconds=30] [rate=2000]
 *   `calls` 1:1 calls, each between a caller on SIG1 and a callee on SIG2, all set up through the
 *   real protocol (invite, ring, accept); then callers send signal.ice frames to their callee at
 *   `rate` frames per second in all (open loop, round robin over the calls). Reports the latency
 *   from a caller's send to the callee's receipt: one instance's socket → Redis → the other
 *   instance's socket.
 */
public class SignalRelay {

    /** Frames of the warm-up that arrive late are not counted in the measured run. */
    private static volatile int phase;
    private static final Pattern CALL_ID = Pattern.compile("\"callId\"\\s*:\\s*\"([^\"]+)\"");

    /** One side of a call: its socket and the frames that arrived on it. */
    record Side(ChatDelivery.User user, WebSocket socket, LinkedBlockingQueue<String> frames) {

        String await(String type) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end) {
                String frame = frames.poll(100, TimeUnit.MILLISECONDS);
                if (frame != null && frame.contains("\"type\":\"" + type + "\"")) {
                    return frame;
                }
            }
            throw new IllegalStateException("no " + type + " for " + user.id());
        }
    }

    public static void main(String[] args) throws Exception {
        String auth = args[0];
        String chat = args[1];
        int calls = args.length > 4 ? Integer.parseInt(args[4]) : 500;
        int seconds = args.length > 5 ? Integer.parseInt(args[5]) : 30;
        int rate = args.length > 6 ? Integer.parseInt(args[6]) : 2000;
        System.out.printf("setting up %d calls (%d users, %d direct rooms)%n", calls, calls * 2, calls);
        List<ChatDelivery.User> users = ChatDelivery.users(auth, calls * 2);
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong received = new AtomicLong();
        HttpClient http = HttpClient.newHttpClient();
        List<Side> callers = new ArrayList<>();
        List<Side> callees = new ArrayList<>();
        List<String> callIds = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            ChatDelivery.User caller = users.get(2 * i);
            ChatDelivery.User callee = users.get(2 * i + 1);
            String room = ChatDelivery.match(ChatDelivery.ID, ChatDelivery.post(chat + "/api/rooms", caller.token(),
                    "{\"type\":\"direct\",\"memberIds\":[\"" + callee.id() + "\"]}", 201));
            Side a = connect(http, args[2], caller, null, null);
            Side b = connect(http, args[3], callee, latencies, received);
            a.socket().sendText("{\"type\":\"call.invite\",\"roomId\":\"" + room + "\",\"media\":\"video\"}", true).join();
            String callId = ChatDelivery.match(CALL_ID, a.await("call.created"));
            b.await("call.incoming");
            b.socket().sendText("{\"type\":\"call.accept\",\"callId\":\"" + callId + "\"}", true).join();
            b.await("call.joined");
            a.await("call.participant.joined");
            callers.add(a);
            callees.add(b);
            callIds.add(callId);
        }
        System.out.printf("%d calls up; relaying %d signal.ice/s for %d s (warm-up 5 s first)%n", calls, rate, seconds);
        run(callers, callees, callIds, rate, 5);
        phase = 1;
        latencies.clear();
        received.set(0);
        long sent = run(callers, callees, callIds, rate, seconds);
        Thread.sleep(1000);
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("sent %d, received %d (%.0f/s) — latency ms p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                sent, received.get(), received.get() / (double) seconds, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
                pct(sorted, 99.9), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        for (int i = 0; i < calls; i++) {
            callers.get(i).socket().sendText("{\"type\":\"call.leave\",\"callId\":\"" + callIds.get(i) + "\"}", true).join();
        }
        Thread.sleep(500);
    }

    /** Sends at `rate` per second, round robin over the calls, for `seconds`; how many were sent. */
    private static long run(List<Side> callers, List<Side> callees, List<String> callIds, int rate, int seconds) {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long sent = 0;
        for (long next = start; next < end; next += interval) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int i = (int) (sent % callers.size());
            // the send time travels in the candidate: one clock, this process's
            String frame = "{\"type\":\"signal.ice\",\"callId\":\"" + callIds.get(i) + "\",\"to\":\""
                    + callees.get(i).user().id() + "\",\"candidate\":{\"candidate\":\"candidate:bench " + phase + " " + System.nanoTime()
                    + " 1 udp 2122260223 10.0.0.1 50000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}";
            callers.get(i).socket().sendText(frame, true).join();
            sent++;
        }
        return sent;
    }

    private static Side connect(HttpClient http, String base, ChatDelivery.User user, ConcurrentLinkedQueue<Long> latencies,
            AtomicLong received) throws Exception {
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        CountDownLatch ready = new CountDownLatch(1);
        WebSocket socket = http.newWebSocketBuilder().buildAsync(
                URI.create(base.replace("http", "ws") + "/ws/signal?access_token=" + user.token()), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            String text = partial.toString();
                            partial.setLength(0);
                            int at = text.indexOf("candidate:bench ");
                            if (at >= 0 && latencies != null) {
                                long now = System.nanoTime();
                                String[] mark = text.substring(at + 16).split(" ", 3);
                                if (Integer.parseInt(mark[0]) == phase) {
                                    latencies.add(now - Long.parseLong(mark[1]));
                                    received.incrementAndGet();
                                }
                            } else {
                                frames.add(text);
                                if (text.contains("\"type\":\"ready\"")) {
                                    ready.countDown();
                                }
                            }
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
        if (!ready.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no ready for " + user.id());
        }
        return new Side(user, socket, frames);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }
}
