package io.talkline.media;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.talkline.commons.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Stands in for chat-service in media's own tests (the real one answers in system-tests): GET
 * /api/rooms/{id} is 200 for a member of a room a test put here — the member named by the bearer
 * token's subject, which media-service has verified already — and 404 for anyone else.
 */
public class ChatStandIn implements QuarkusTestResourceLifecycleManager {

    private static final Map<String, Set<String>> ROOMS = new ConcurrentHashMap<>();
    private Vertx vertx;

    public static void room(String roomId, String... memberIds) {
        ROOMS.put(roomId, Set.of(memberIds));
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        int port = vertx.createHttpServer().requestHandler(request -> {
            String path = request.path();
            Set<String> members = path.startsWith("/api/rooms/") ? ROOMS.get(path.substring("/api/rooms/".length())) : null;
            String user = TestTokens.subject(request.getHeader("Authorization"));
            boolean member = members != null && user != null && members.contains(user);
            request.response().setStatusCode(member ? 200 : 404).putHeader("Content-Type", "application/json")
                    .end(member ? new JsonObject().put("id", path.substring("/api/rooms/".length())).encode() : "{}");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join()
                .actualPort();
        return Map.of("quarkus.rest-client.chat.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
