package io.talkline.signaling;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Stands in for chat-service in signaling's own tests (the real one answers in system-tests): GET
 * /api/rooms/{id} answers the rooms a test put here to whoever asks — as chat-service answers a
 * moderator or admin, who see every room without being in it — and 404 for any other room.
 */
public class ChatStandIn implements QuarkusTestResourceLifecycleManager {

    private static final Map<String, List<String>> ROOMS = new ConcurrentHashMap<>();
    private Vertx vertx;

    /** A room and its members, from now on. */
    public static void room(String roomId, String... memberIds) {
        ROOMS.put(roomId, List.of(memberIds));
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        int port = vertx.createHttpServer().requestHandler(request -> {
            String path = request.path();
            List<String> members = path.startsWith("/api/rooms/") ? ROOMS.get(path.substring("/api/rooms/".length()))
                    : null;
            if (members == null || request.getHeader("Authorization") == null) {
                request.response().setStatusCode(members == null ? 404 : 401).end();
                return;
            }
            JsonArray list = new JsonArray();
            members.forEach(userId -> list.add(new JsonObject().put("userId", userId).put("role", "member")));
            request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("id", path.substring("/api/rooms/".length())).put("type", "group").put("members", list).encode());
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS)
                .join().actualPort();
        return Map.of("quarkus.rest-client.chat.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
