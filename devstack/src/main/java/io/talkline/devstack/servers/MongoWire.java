package io.talkline.devstack.servers;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.talkline.devstack.Component;
import io.talkline.devstack.Infra;
import io.talkline.devstack.MongoWireServer;
import io.talkline.devstack.Probes;
import io.talkline.devstack.Processes;
import io.talkline.devstack.Repo;
import io.talkline.devstack.RunDir;

/** mongo-java-server in its own process (it needs Netty 4.2; Quarkus runs 4.1). */
public final class MongoWire implements Server {

    private final RunDir run;
    private final Processes processes;

    public MongoWire(RunDir run, Processes processes) {
        this.run = run;
        this.processes = processes;
    }

    @Override
    public Component component() {
        return Component.MONGO;
    }

    @Override
    public boolean healthy() {
        return Probes.tcpOpen(Infra.HOST, Infra.MONGO_PORT);
    }

    @Override
    public void start() {
        String cp = Processes.classpath(Repo.devstackClasses(), Repo.serverLib().resolve("*"));
        // in memory and never expiring (no TTL deletion): the heap is what it can hold (about 4 KB an
        // audit event with its indexes: 2 GB for ~400,000); TALKLINE_MONGO_HEAP changes it. Full JIT:
        // audit ingestion is bounded by this server's speed.
        String heap = System.getenv().getOrDefault("TALKLINE_MONGO_HEAP", "2g");
        processes.start("mongo", List.of(Processes.java(), "-Xmx" + heap, "-XX:+UseSerialGC",
                "-cp", cp, MongoWireServer.class.getName(), Infra.HOST, Integer.toString(Infra.MONGO_PORT)), Map.of(),
                run.dir("mongo"));
        Probes.await("Mongo wire server (log: " + run.log("mongo") + ")", Duration.ofSeconds(30), this::healthy);
    }
}
