import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * chat-service delivery and idle-socket benchmarks, JDK only (see BENCHMARKS.md; bench/chat.sh runs it).
 *
 * delivery AUTH CHAT1,CHAT2 [users=1000] [roomSize=10] [seconds=30] [sendersPerRoom=2] [rate=0]
 *   users sockets (half on each instance), in users/roomSize rooms; senders send over their
 *   socket: with rate 0 each as soon as its previous send was acknowledged (the most the system
 *   takes), otherwise `rate` messages per second in all, spread over the senders (open loop:
 *   latency without queueing). Every socket of the room, the sender's too, receives each message
 *   as message.created. Reports deliveries per second and the latency from the send to each
 *   delivery.
 * idle AUTH CHAT sockets [users=1000] [localAddresses=4]
 *   opens that many authenticated sockets and keeps them open until stdin closes (the script
 *   measures the server's heap meanwhile).
 */
public class ChatDelivery {

    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ACCESS = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern SENT_AT = Pattern.compile("\"body\"\\s*:\\s*\"t(\\d+)\"");
    private static final Pattern ROOM_ID = Pattern.compile("\"roomId\"\\s*:\\s*\"([^\"]+)\"");
    private static final String PASSWORD = "benchmark password 1234";
    /** Idle sockets authenticate with ?access_token= (browsers) when -Dquery-token=true, else the header. */
    private static final boolean QUERY_TOKEN = Boolean.getBoolean("query-token");
    private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    record User(String id, String token) {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("delivery")) {
            delivery(args[1], args[2].split(","), arg(args, 3, 1000), arg(args, 4, 10), arg(args, 5, 30), arg(args, 6, 2),
                    arg(args, 7, 0));
        } else {
            idle(args[1], args[2], arg(args, 3, 50_000), arg(args, 4, 1000), arg(args, 5, 4));
        }
    }

    private static int arg(String[] args, int index, int otherwise) {
        return args.length > index ? Integer.parseInt(args[index]) : otherwise;
    }

    static void delivery(String auth, String[] chats, int users, int roomSize, int seconds, int sendersPerRoom, int rate)
            throws Exception {
        List<User> all = users(auth, users);
        int rooms = users / roomSize;
        List<String> roomIds = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            List<User> members = all.subList(r * roomSize, (r + 1) * roomSize);
            StringBuilder ids = new StringBuilder();
            for (User member : members.subList(1, members.size())) {
                ids.append(ids.isEmpty() ? "" : ",").append('"').append(member.id()).append('"');
            }
            roomIds.add(match(ID, post(chats[0] + "/api/rooms", members.get(0).token(),
                    "{\"type\":\"group\",\"name\":\"bench " + r + "\",\"memberIds\":[" + ids + "]}", 201)));
        }
        System.out.printf("%d users in %d rooms of %d; sockets on %s%n", users, rooms, roomSize, String.join(" and ", chats));

        AtomicLong delivered = new AtomicLong();
        AtomicLong measuring = new AtomicLong(); // 0 = warming up, 1 = measuring, 2 = done
        ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
        List<WebSocket> sockets = new ArrayList<>();
        List<WebSocket> senders = new ArrayList<>();
        List<String> senderRooms = new ArrayList<>();
        HttpClient ws = HttpClient.newHttpClient();
        for (int i = 0; i < all.size(); i++) {
            int index = i;
            CountDownLatch ready = new CountDownLatch(1);
            boolean sender = i % roomSize < sendersPerRoom;
            String room = roomIds.get(i / roomSize);
            WebSocket socket = ws.newWebSocketBuilder().buildAsync(URI.create(chats[i % chats.length].replace("http", "ws")
                    + "/ws/chat?access_token=" + all.get(i).token()), new WebSocket.Listener() {
                        final StringBuilder partial = new StringBuilder();
                        long[] mine = new long[1 << 16];
                        int count;

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                String frame = partial.toString();
                                partial.setLength(0);
                                long now = System.nanoTime();
                                if (frame.startsWith("{\"type\":\"ready\"")) {
                                    ready.countDown();
                                } else if (frame.startsWith("{\"type\":\"message.created\"")) {
                                    Matcher sent = SENT_AT.matcher(frame);
                                    if (sent.find() && measuring.get() == 1) {
                                        delivered.incrementAndGet();
                                        if (count == mine.length) {
                                            mine = Arrays.copyOf(mine, count * 2);
                                        }
                                        mine[count++] = now - Long.parseLong(sent.group(1));
                                    }
                                } else if (rate == 0 && sender && frame.startsWith("{\"type\":\"ack\"")
                                        && measuring.get() < 2) {
                                    send(webSocket, room); // the next one as soon as this one is stored
                                }
                            }
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            latencies.add(Arrays.copyOf(mine, count));
                            return null;
                        }

                        @Override
                        public void onError(WebSocket webSocket, Throwable error) {
                            System.err.println("socket " + index + ": " + error);
                        }
                    }).get(30, TimeUnit.SECONDS);
            ready.await(30, TimeUnit.SECONDS);
            sockets.add(socket);
            if (sender) {
                senders.add(socket);
                senderRooms.add(room);
            }
        }
        System.out.printf("%d sockets open, %d senders, %s; warming up 10 s%n", sockets.size(), senders.size(),
                rate == 0 ? "each sending again when acknowledged" : rate + " messages/s in all");
        if (rate == 0) {
            for (int i = 0; i < senders.size(); i++) {
                send(senders.get(i), senderRooms.get(i));
            }
        } else {
            Thread.ofPlatform().daemon().start(() -> {
                long interval = 1_000_000_000L / rate;
                long next = System.nanoTime();
                for (int i = 0; measuring.get() < 2; i = (i + 1) % senders.size()) {
                    send(senders.get(i), senderRooms.get(i));
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            });
        }
        Thread.sleep(10_000);
        measuring.set(1);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(2);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long count = delivered.get();
        Thread.sleep(2_000); // frames in flight
        for (WebSocket socket : sockets) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (latencies.size() < sockets.size() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long[] all2 = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("deliveries: %d in %.1f s = %.0f/s (messages ≈ %.0f/s)%n", count, elapsed, count / elapsed,
                count / elapsed / roomSize);
        System.out.printf("send → delivery latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)%n",
                pct(all2, 50), pct(all2, 90), pct(all2, 99), all2.length == 0 ? 0 : all2[all2.length - 1] / 1e6, all2.length);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    private static void send(WebSocket socket, String room) {
        socket.sendText("{\"type\":\"send\",\"roomId\":\"" + room + "\",\"clientMsgId\":\"" + UUID.randomUUID()
                + "\",\"body\":\"t" + System.nanoTime() + "\"}", true);
    }

    static void idle(String auth, String chat, int count, int users, int localAddresses) throws Exception {
        List<User> all = users(auth, users);
        // one client per local address: more than 28,000 connections to one port need several
        List<HttpClient> clients = new ArrayList<>();
        for (int a = 0; a < localAddresses; a++) {
            clients.add(HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0." + (a + 2))).build());
        }
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        AtomicLong ready = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong closed = new AtomicLong();
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String token = all.get(i % all.size()).token();
            WebSocket.Builder builder = clients.get(i % clients.size()).newWebSocketBuilder();
            String path = "/ws/chat";
            if (QUERY_TOKEN) {
                path += "?access_token=" + token; // as browsers must
            } else {
                builder.header("Authorization", "Bearer " + token);
            }
            opening.add(builder.buildAsync(URI.create(chat.replace("http", "ws") + path), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            if (data.toString().startsWith("{\"type\":\"ready\"")) {
                                ready.incrementAndGet();
                            }
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            if (closed.incrementAndGet() <= 3) {
                                System.out.println("closed by the server: " + statusCode + " " + reason);
                            }
                            return null;
                        }
                    }).whenComplete((socket, error) -> {
                        if (error != null && failed.incrementAndGet() <= 3) {
                            System.out.println("not opened: " + error);
                        }
                    }));
            if (i % 500 == 499) { // a steady stream of upgrades, not one burst
                while (i + 1 - ready.get() - failed.get() > 500) {
                    Thread.sleep(10);
                }
            }
        }
        while (ready.get() + failed.get() < count && System.nanoTime() - started < TimeUnit.MINUTES.toNanos(10)) {
            Thread.sleep(100);
        }
        System.out.printf("IDLE-READY %d sockets open (%d failed, %d closed since) in %.0f s%n", ready.get(), failed.get(),
                closed.get(),
                (System.nanoTime() - started) / 1e9);
        System.in.read(); // held open until the script has measured
        System.out.println("closing");
    }

    static List<User> users(String auth, int count) throws Exception {
        List<CompletableFuture<User>> made = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < count; i++) {
                made.add(CompletableFuture.supplyAsync(() -> {
                    String name = "cb" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
                    try {
                        String id = match(ID, post(auth + "/api/auth/register", null, "{\"username\":\"" + name
                                + "\",\"email\":\"" + name + "@bench.example\",\"password\":\"" + PASSWORD + "\"}", 201));
                        String token = match(ACCESS, post(auth + "/api/auth/login", null,
                                "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", 200));
                        return new User(id, token);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
        }
        List<User> users = new ArrayList<>();
        for (CompletableFuture<User> user : made) {
            users.add(user.join());
        }
        return users;
    }

    static String post(String url, String token, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(url + " → " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static String match(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException(pattern + " not in " + text);
        }
        return matcher.group(1);
    }
}
