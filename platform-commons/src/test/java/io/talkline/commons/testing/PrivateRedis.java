package io.talkline.commons.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.talkline.devstack.Probes;

/**
 * A redis-server of a test's own on a free port, so a test can take Redis away (stopped, or silent)
 * without touching the Redis every other test shares.
 */
public final class PrivateRedis {

    private final int port;
    private Process process;

    public PrivateRedis() {
        this.port = FreePorts.any();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public synchronized PrivateRedis start() {
        try {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save",
                    "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is needed for this test", e);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Probes.redisPong("127.0.0.1", port));
        return this;
    }

    public synchronized void stop() {
        if (process != null) {
            process.destroyForcibly();
            process.onExit().join();
            process = null;
        }
    }

    /** Still accepting connections, never answering (SIGSTOP), until {@link #wake()}. */
    public synchronized void silence() {
        signal("STOP");
    }

    public synchronized void wake() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + name + " failed: " + exit);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Redis of {@link OwnRedis}: one per test JVM, stopped and started by the test. */
    public static final PrivateRedis OF_PROFILE = new PrivateRedis();

    /**
     * {@code @TestProfile(PrivateRedis.OwnRedis.class)}: the service talks to {@link #OF_PROFILE}
     * instead of the shared Redis, so a test can take Redis away without disturbing any other.
     */
    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Started.class));
        }
    }

    public static class Started implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            OF_PROFILE.start();
            return Map.of("quarkus.redis.hosts", OF_PROFILE.url());
        }

        @Override
        public void stop() {
            OF_PROFILE.stop();
        }

        /** After the module's resources (DevstackResource): this address replaces the shared Redis. */
        @Override
        public int order() {
            return Integer.MAX_VALUE;
        }
    }
}
