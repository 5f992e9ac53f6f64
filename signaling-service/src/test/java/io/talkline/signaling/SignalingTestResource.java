package io.talkline.signaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.talkline.commons.testing.TestDatabases;
import io.talkline.commons.testing.TestTokens;
import io.talkline.devstack.DevstackResource;
import io.talkline.devstack.Infra;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

/**
 * The one declaration of this module's test resources (Quarkus applies them to every test of the
 * module): the devstack infrastructure (coturn too, for the TURN credential tests), tokens, the
 * chat-service stand-in, and this run's own state — a schema {@code signaling_test_<unique>} on the
 * shared MariaDB and Redis keys and channels under a prefix of its own — so that nothing another run
 * or a running platform left in {@code signaling} or under {@code sig:} is read or taken by these
 * tests, and nothing of theirs is left behind.
 */
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,redis,kafka,turn"))
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(ChatStandIn.class)
@QuarkusTestResource(SignalingTestResource.class)
public class SignalingTestResource implements QuarkusTestResourceLifecycleManager {

    private String database;
    private String keyPrefix;

    @Override
    public Map<String, String> start() {
        database = TestDatabases.create("signaling_test");
        keyPrefix = database.replace('_', '-') + ":";
        return Map.of("quarkus.datasource.jdbc.url", Infra.jdbcUrl(database),
                "signaling.redis.key-prefix", keyPrefix,
                // short timers, so that a revocation and an outbox retry show within a test
                "signaling.socket.revocation-check", "500ms",
                "platform.outbox.max-backoff", "1s");
    }

    @Override
    public void stop() {
        TestDatabases.drop(database);
        deleteKeys(keyPrefix + "*");
    }

    /** This run's keys on the shared Redis (SCAN, then UNLINK; nobody else's match the prefix). */
    private static void deleteKeys(String pattern) {
        Vertx vertx = Vertx.vertx();
        try {
            Redis client = Redis.createClient(vertx, "redis://" + Infra.HOST + ":" + Infra.REDIS_PORT);
            RedisAPI redis = RedisAPI.api(client);
            String cursor = "0";
            do {
                Response page = await(redis.scan(List.of(cursor, "MATCH", pattern, "COUNT", "1000")));
                cursor = page.get(0).toString();
                List<String> keys = new ArrayList<>();
                page.get(1).forEach(key -> keys.add(key.toString()));
                if (!keys.isEmpty()) {
                    await(redis.unlink(keys));
                }
            } while (!"0".equals(cursor));
            client.close();
        } finally {
            await(vertx.close());
        }
    }

    private static <T> T await(Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
