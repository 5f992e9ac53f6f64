package io.talkline.system.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.talkline.devstack.Component;
import io.talkline.devstack.Devstack;
import io.talkline.devstack.Platform;
import io.talkline.devstack.RunDir;

/**
 * Seeded fuzzing of every REST path and both sockets of api.md through the gateway of the packaged
 * platform. A short run by default; {@code -Dfuzz.seed=}, {@code -Dfuzz.count=} for a
 * long one, {@code -Dfuzz.index=} to replay cases (e.g. {@code 17,230}) (system-tests/README.md).
 */
class FuzzTest {

    private static final int BASE_PORT = 18680;
    /** A second gateway beside the first, with api.md's default limits: a few cases meet real 429s. */
    private static final int DEFAULT_LIMITS_PORT = BASE_PORT + 17;
    private static final String DEFAULT_LIMITS_NAME = "gateway-default-limits";
    private static final long SEED = Long.getLong("fuzz.seed", 14L);
    private static final int COUNT = Integer.getInteger("fuzz.count", 2200);
    /** Case indices to replay, comma-separated (none: the whole run). */
    private static final List<Integer> ONLY = Arrays.stream(System.getProperty("fuzz.index", "").split(","))
            .filter(s -> !s.isBlank()).map(s -> Integer.valueOf(s.trim())).toList();
    private static final String REDIS = "redis://127.0.0.1:6379/13";
    private static Platform platform;
    private static Platform.Instance defaultLimits;

    @BeforeAll
    static void startPlatform() {
        Devstack.shared().up(EnumSet.of(Component.MARIADB, Component.REDIS, Component.KAFKA, Component.S3, Component.MONGO,
                Component.TURN));
        String keys = "rl-fuzz-" + UUID.randomUUID();
        Map<String, String> gateway = new HashMap<>(Map.of("gateway.rate-limit.key-prefix", keys));
        // api.md's limits (10 logins a minute) would turn most inputs into 429s before a service sees them
        for (String policy : new String[] { "anonymous", "authenticated", "auth", "websocket" }) {
            gateway.put("gateway.rate-limit.policies." + policy + ".limit", "1000000");
        }
        gateway.put("gateway.websocket.max-per-user", "1000");
        platform = new Platform(new RunDir(Path.of("target", "run-fuzz").toAbsolutePath()), BASE_PORT, gateway);
        // what a crashed earlier run left behind
        platform.stop(new Platform.Instance(DEFAULT_LIMITS_NAME, "gateway", DEFAULT_LIMITS_PORT, Map.of()));
        platform.down();
        Platform.Instance gatewayInstance = null;
        for (Platform.Instance instance : platform.instances()) {
            Platform.Instance fuzzable = fuzzable(instance);
            platform.start(fuzzable);
            if (instance.module().equals("gateway")) {
                gatewayInstance = fuzzable;
            }
        }
        platform.up();

        Map<String, String> defaults = new HashMap<>(gatewayInstance.properties());
        defaults.keySet()
                .removeIf(key -> key.startsWith("gateway.rate-limit.policies.") || key.startsWith("gateway.websocket."));
        defaults.put("gateway.rate-limit.key-prefix", keys + "-defaults");
        defaultLimits = new Platform.Instance(DEFAULT_LIMITS_NAME, "gateway", DEFAULT_LIMITS_PORT, defaults);
        platform.start(defaultLimits);
        platform.awaitReady(defaultLimits);
    }

    /** An instance on a Redis database of its own, with the limits that would starve a fuzzer raised. */
    private static Platform.Instance fuzzable(Platform.Instance instance) {
        Map<String, String> properties = new HashMap<>(instance.properties());
        // the hundreds of failed logins and registrations from this address must not lock out the
        // other system tests, which share Redis (and the address)
        properties.put("quarkus.redis.hosts", REDIS);
        if (instance.module().equals("chat-service") || instance.module().equals("signaling-service")) {
            // frame budgets (60 at once, 10 a second): hundreds of frames, as fast as they are answered
            String budget = instance.module().replace("-service", "") + ".socket.budget.";
            for (String key : new String[] { "socket-burst", "socket-rate", "user-burst", "user-rate" }) {
                properties.put(budget + key, "1000000");
            }
        }
        if (instance.module().equals("auth-service")) {
            properties.put("auth.throttle.free-attempts-per-address", "1000000");
            properties.put("auth.throttle.registrations-per-address", "1000000");
        }
        return new Platform.Instance(instance.name(), instance.module(), instance.port(), properties);
    }

    @AfterAll
    static void stopPlatform() {
        if (defaultLimits != null) {
            platform.stop(defaultLimits);
        }
        if (platform != null) {
            platform.down();
        }
    }

    @Test
    void noInputBreaksTheContract() {
        // the first admin of the platform under test (system-tests pom)
        Fixtures world = new Fixtures("http://127.0.0.1:" + BASE_PORT, System.getenv("PLATFORM_BOOTSTRAP_ADMIN_USERNAME"),
                System.getenv("PLATFORM_BOOTSTRAP_ADMIN_PASSWORD"));
        Report report;
        try (Fuzzer fuzzer = new Fuzzer(new Fuzzer.Target("127.0.0.1", BASE_PORT, "http://127.0.0.1:" + DEFAULT_LIMITS_PORT),
                world, SEED)) {
            report = fuzzer.run(COUNT, ONLY);
        }
        String text = report.text();
        System.out.println(text);
        assertTrue(report.harnessErrors().isEmpty(), "the fuzzer could not send some cases:\n" + text);
        assertTrue(report.failures().isEmpty(), text);
    }
}
