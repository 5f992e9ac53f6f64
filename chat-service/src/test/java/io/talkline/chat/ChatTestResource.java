package io.talkline.chat;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.talkline.commons.testing.TestDatabases;
import io.talkline.commons.testing.TestTokens;
import io.talkline.devstack.DevstackResource;
import io.talkline.devstack.Infra;

/**
 * The one declaration of this module's test resources (Quarkus applies them to every test, so no
 * test class repeats them): the real MariaDB, Redis and Kafka, a token issuer standing in for
 * auth-service, and — this class — a schema of the run's own, so counts and sequences start from
 * nothing, with timers short enough that expiry and sweeps show within a test. A test that needs
 * other settings uses a {@code @TestProfile}.
 */
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,redis,kafka"))
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(ChatTestResource.class)
@QuarkusTestResource(MediaStandIn.class)
public class ChatTestResource implements QuarkusTestResourceLifecycleManager {

    private String database;

    @Override
    public Map<String, String> start() {
        database = TestDatabases.create("chat_test");
        // short timers, so that expiry and sweeps show within a test
        return Map.ofEntries(Map.entry("quarkus.datasource.jdbc.url", Infra.jdbcUrl(database)),
                Map.entry("chat.socket.revocation-check", "500ms"), Map.entry("chat.presence.ttl", "2s"),
                Map.entry("chat.presence.heartbeat", "500ms"), Map.entry("chat.presence.sweep", "300ms"),
                Map.entry("chat.typing.expiry", "1500ms"), Map.entry("chat.socket.send-queue-limit", "262144"),
                Map.entry("chat.socket.write-timeout", "3s"), Map.entry("chat.socket.token-grace", "1s"),
                // slow refills: a test that spends a budget is not undone by time passing on a busy machine
                Map.entry("chat.socket.budget.socket-rate", "2"), Map.entry("chat.socket.budget.user-rate", "4"),
                // moderation reads only this run's messages, in a group of its own
                Map.entry("mp.messaging.incoming.moderation.group.id",
                        "chat-moderation-test-" + Long.toHexString(System.nanoTime())),
                Map.entry("mp.messaging.incoming.moderation.auto.offset.reset", "latest"),
                Map.entry("chat.moderation.rule-refresh", "1s"));
    }

    @Override
    public void stop() {
        if (database != null) {
            TestDatabases.drop(database);
        }
    }
}
