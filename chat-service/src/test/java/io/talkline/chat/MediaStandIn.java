package io.talkline.chat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.talkline.commons.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Stands in for media-service in chat's own tests (the real one answers in system-tests): GET
 * /api/media/{id} answers an item a test put here to its owner — the bearer token's subject,
 * which chat-service verified already — and 404 to anyone else, as media-service does before the
 * item is attached anywhere.
 */
public class MediaStandIn implements QuarkusTestResourceLifecycleManager {

    private static final Map<String, JsonObject> ITEMS = new ConcurrentHashMap<>();
    private Vertx vertx;

    /** An item from now on: {id, ownerId, kind, status}. */
    public static void item(String id, String ownerId, String kind, String status) {
        ITEMS.put(id, new JsonObject().put("id", id).put("ownerId", ownerId).put("kind", kind).put("status", status));
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        int port = vertx.createHttpServer().requestHandler(request -> {
            String path = request.path();
            JsonObject item = path.startsWith("/api/media/") ? ITEMS.get(path.substring("/api/media/".length())) : null;
            boolean owner = item != null
                    && item.getString("ownerId").equals(TestTokens.subject(request.getHeader("Authorization")));
            request.response().setStatusCode(owner ? 200 : 404).putHeader("Content-Type", "application/json")
                    .end(owner ? item.encode() : "{}");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join()
                .actualPort();
        return Map.of("quarkus.rest-client.media.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
