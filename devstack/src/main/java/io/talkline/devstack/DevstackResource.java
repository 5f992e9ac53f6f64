package io.talkline.devstack;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For {@code @QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name =
 * "components", value = "mariadb,redis,kafka"))}: makes sure the infrastructure runs (reusing what
 * is up) and points the service at it. Nothing is stopped afterwards: the next module reuses it and
 * {@code ./platform down} (or .ci/run) stops what devstack started.
 */
public class DevstackResource implements QuarkusTestResourceLifecycleManager {

    private EnumSet<Component> components = EnumSet.of(Component.MARIADB, Component.REDIS);

    @Override
    public void init(Map<String, String> initArgs) {
        if (initArgs.containsKey("components")) {
            components = Component.parse(initArgs.get("components"));
        }
    }

    @Override
    public Map<String, String> start() {
        Devstack.shared().up(components);
        Map<String, String> config = new HashMap<>();
        if (components.contains(Component.REDIS)) {
            config.put("quarkus.redis.hosts", "redis://" + Infra.HOST + ":" + Infra.REDIS_PORT);
        }
        if (components.contains(Component.KAFKA)) {
            config.put("kafka.bootstrap.servers", Infra.kafkaBootstrap());
        }
        if (components.contains(Component.MONGO)) {
            config.put("quarkus.mongodb.connection-string", Infra.mongoUri());
        }
        if (components.contains(Component.TURN)) {
            String server = Infra.HOST + ":" + Infra.TURN_PORT;
            config.put("signaling.ice.stun-urls", "stun:" + server);
            config.put("signaling.ice.turn-urls", "turn:" + server + "?transport=udp,turn:" + server + "?transport=tcp");
            config.put("signaling.ice.turn-secret", Infra.TURN_SECRET);
        }
        return config;
    }

    @Override
    public void stop() {
        // shared infrastructure outlives a test class; see the class comment
    }
}
