package io.talkline.commons.testing;

import java.io.IOException;
import java.time.Duration;

import org.awaitility.Awaitility;

import io.talkline.devstack.Probes;

/**
 * A redis-server of a test's own on a free port, so a test can take Redis away (stopped, or silent)
 * without touching the Redis every other test shares.
 */
public final class PrivateRedis {

    private final int port;
    private Process process;

    public PrivateRedis() {
        try (var socket = new java.net.ServerSocket(0)) {
            this.port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
