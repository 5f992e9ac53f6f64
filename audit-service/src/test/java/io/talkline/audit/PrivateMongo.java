package io.talkline.audit;

import java.io.IOException;
import java.time.Duration;

import org.awaitility.Awaitility;

import io.talkline.commons.testing.FreePorts;
import io.talkline.devstack.MongoWireServer;
import io.talkline.devstack.Probes;
import io.talkline.devstack.Processes;
import io.talkline.devstack.Repo;

/**
 * devstack's Mongo wire server (in memory), run for one test on a free port, so the test can take
 * Mongo away without touching the one every other test shares.
 */
final class PrivateMongo {

    private static final String HOST = "127.0.0.1";

    private final int port = FreePorts.any();
    private Process process;

    String uri() {
        return "mongodb://" + HOST + ":" + port;
    }

    synchronized PrivateMongo start() {
        // its own JVM, as devstack runs it: mongo-java-server needs another Netty than Quarkus
        String classpath = Processes.classpath(Repo.devstackClasses(), Repo.serverLib().resolve("*"));
        try {
            process = new ProcessBuilder(Processes.java(), "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                    classpath, MongoWireServer.class.getName(), HOST, Integer.toString(port)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Mongo wire server", e);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Probes.tcpOpen(HOST, port));
        return this;
    }

    synchronized void stop() {
        if (process != null) {
            process.destroyForcibly();
            process.onExit().join();
            process = null;
        }
    }
}
