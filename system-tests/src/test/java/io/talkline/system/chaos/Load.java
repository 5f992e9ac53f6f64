package io.talkline.system.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

import io.vertx.core.json.JsonObject;

/**
 * The clients of a chaos run, all through the gateway: users that send REST messages at a steady
 * rate (open loop: a slow platform does not slow the offer), retrying a failed attempt (an error, a
 * 5xx, no answer in 10 s) with the same {@code clientMsgId} after 100 ms doubling to 1 s, for up to
 * 30 s; every user's chat socket; and a
 * pair that rings each other across the signaling instances.
 */
final class Load {

    /** A user of the run and the rooms it is in. */
    record Member(String id, String token, List<String> rooms) {
    }

    private static final long GIVE_UP_MS = 30_000;

    private final URI gateway;
    private final List<Member> members;
    private final int sendsPerSecond;
    private final Recorder recorder;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    final List<ChatClient> clients = new ArrayList<>();
    private final SignalPair signals;
    private volatile boolean sending;
    private Thread pacer;
    private final List<Thread> inFlight = java.util.Collections.synchronizedList(new ArrayList<>());

    Load(URI gateway, List<Member> members, int sendsPerSecond, Member caller, Member callee, String callRoom,
            Recorder recorder) {
        this.gateway = gateway;
        this.members = members;
        this.sendsPerSecond = sendsPerSecond;
        this.recorder = recorder;
        for (Member member : members) {
            clients.add(new ChatClient(member.id(), member.token(), member.rooms(), gateway, http, timers, recorder));
        }
        this.signals = new SignalPair(caller.token(), callee.token(), callRoom, gateway, recorder);
    }

    void start() {
        clients.forEach(ChatClient::connect);
        signals.start();
        sending = true;
        pacer = Thread.ofPlatform().name("chaos-pacer").daemon().start(this::pace);
    }

    boolean socketsReady() {
        return clients.stream().allMatch(ChatClient::ready);
    }

    /** Stops offering new sends and waits for those under way to end (accepted or given up). */
    void stopSending() throws InterruptedException {
        sending = false;
        pacer.join();
        for (Thread thread : new ArrayList<>(inFlight)) {
            thread.join(GIVE_UP_MS + 10_000);
        }
    }

    void stop() throws InterruptedException {
        signals.stop();
        clients.forEach(ChatClient::stop);
        timers.shutdownNow();
    }

    private void pace() {
        long interval = 1_000_000_000L / sendsPerSecond;
        long next = System.nanoTime();
        while (sending) {
            next += interval;
            Member member = members.get(ThreadLocalRandom.current().nextInt(members.size()));
            String room = member.rooms().get(ThreadLocalRandom.current().nextInt(member.rooms().size()));
            Recorder.Send send = recorder.send(room, member.id(), "chaos-" + UUID.randomUUID());
            Thread thread = Thread.ofVirtual().unstarted(() -> {
                try {
                    deliver(member, send);
                } finally {
                    inFlight.remove(Thread.currentThread());
                }
            });
            inFlight.add(thread);
            thread.start();
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(sleep);
            }
        }
    }

    /** Attempts until accepted, refused for good, or 30 s have passed; the same clientMsgId each time. */
    private void deliver(Member member, Recorder.Send send) {
        String body = new JsonObject().put("clientMsgId", send.clientMsgId).put("type", "text")
                .put("body", "chaos " + send.clientMsgId).encode();
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/api/rooms/" + send.roomId + "/messages"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + member.token())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long backoff = 100;
        while (true) {
            send.attempts++;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200 || status == 201) {
                    JsonObject message = new JsonObject(response.body());
                    send.messageId = message.getString("id");
                    send.seq = message.getLong("seq");
                    send.acceptedAt = recorder.now();
                    return;
                }
                if (status >= 400 && status < 500 && status != 408 && status != 429) {
                    send.refused = status + " " + response.body();
                    return;
                }
            } catch (IOException e) {
                // refused, reset, timed out: tried again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            send.failedAttempts++;
            if (recorder.now() - send.startedAt > GIVE_UP_MS) {
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(1_000, backoff * 2);
        }
    }

    /** A room's messages in the store, read through the gateway page by page: seq → message. */
    Map<Long, JsonObject> stored(String roomId, String token) throws IOException, InterruptedException {
        Map<Long, JsonObject> messages = new java.util.TreeMap<>();
        long after = 0;
        while (true) {
            HttpRequest request = HttpRequest.newBuilder(
                    gateway.resolve("/api/rooms/" + roomId + "/messages?after=" + after + "&limit=100"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("reading " + roomId + ": " + response.statusCode() + " " + response.body());
            }
            JsonObject page = new JsonObject(response.body());
            var items = page.getJsonArray("items");
            for (int i = 0; i < items.size(); i++) {
                JsonObject message = items.getJsonObject(i);
                messages.put(message.getLong("seq"), message);
                after = Math.max(after, message.getLong("seq"));
            }
            if (!page.getBoolean("hasMore", false) || items.isEmpty()) {
                return messages;
            }
        }
    }
}
