package io.talkline.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.talkline.devstack.servers.Coturn;
import io.talkline.devstack.servers.Kafka;
import io.talkline.devstack.servers.MariaDb;
import io.talkline.devstack.servers.MongoWire;
import io.talkline.devstack.servers.Redis;
import io.talkline.devstack.servers.S3Proxy;
import io.talkline.devstack.servers.Server;

/**
 * Makes sure the local infrastructure runs: reuses whatever already answers, starts what does not,
 * then creates schemas, topics and buckets. Safe to call from several processes at once (a file
 * lock in the run directory serialises them) and as often as you like.
 */
public final class Devstack {

    /** The processes devstack may have started itself, by component; stopped in reverse order. */
    private static final Map<Component, String> OWN_PROCESSES = Map.of(Component.KAFKA, "kafka", Component.S3,
            "s3proxy", Component.MONGO, "mongo", Component.TURN, "coturn");

    private final RunDir run;
    private final Processes processes;
    private final Map<Component, Server> servers = new LinkedHashMap<>();

    public Devstack(RunDir run) {
        this.run = run;
        this.processes = new Processes(run);
        for (Server server : serversIn(run, processes)) {
            servers.put(server.component(), server);
        }
    }

    private static List<Server> serversIn(RunDir run, Processes processes) {
        return List.of(new MariaDb(run), new Redis(run), new Kafka(run, processes), new S3Proxy(run, processes),
                new MongoWire(run, processes), new Coturn(run, processes));
    }

    public static Devstack shared() {
        return new Devstack(RunDir.shared());
    }

    /** Brings up the given components (all when empty) and initialises them. */
    public void up(Set<Component> wanted) {
        Set<Component> components = wanted.isEmpty() ? EnumSet.allOf(Component.class) : wanted;
        List<String> missing = new ArrayList<>();
        for (Component component : components) {
            String why = servers.get(component).missingPrerequisite();
            if (why != null && !servers.get(component).healthy()) {
                missing.add(why);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Missing prerequisites:\n  " + String.join("\n  ", missing));
        }
        withLock(() -> {
            for (Component component : components) {
                Server server = servers.get(component);
                if (!server.healthy()) {
                    Optional<RunDir> owner = takenFrom(component);
                    if (owner.isPresent()) {
                        // back where it was, with its data and as its checkout's: an outage, not a move
                        log("starting " + component.name().toLowerCase() + " again for " + owner.get().root());
                        serversIn(owner.get(), new Processes(owner.get())).stream().filter(s -> s.component() == component)
                                .findFirst().orElseThrow().start();
                    } else {
                        log("starting " + component.name().toLowerCase());
                        server.start();
                    }
                }
                takenOver(component).toFile().delete();
                server.init();
            }
        });
    }

    /** Stops what devstack started (Kafka, S3Proxy, Mongo wire server, coturn); system services stay. */
    public void down() {
        withLock(() -> {
            for (String name : OWN_PROCESSES.values()) {
                if (processes.stop(name, Duration.ofSeconds(15))) {
                    log("stopped " + name);
                }
            }
        });
    }

    /**
     * Stops one component that a devstack started (an outage in a test): this one, or another
     * checkout's — the ports are fixed, so there is one per machine. The next {@link #up} starts it
     * again where it was (that checkout's run directory, data and all). False when what answers was
     * not started by any devstack: that is never touched, and the outage cannot be simulated.
     */
    public boolean stop(Component component) {
        String name = OWN_PROCESSES.get(component);
        if (name == null) {
            return false;
        }
        if (processes.ours(name).isPresent()) {
            withLock(() -> processes.stop(name, Duration.ofSeconds(15)));
            log("stopped " + name);
            return true;
        }
        Optional<Processes.StartedElsewhere> elsewhere = processes.startedElsewhere(name);
        if (elsewhere.isEmpty()) {
            return false;
        }
        withLock(() -> {
            processes.stop(elsewhere.get(), Duration.ofSeconds(15));
            write(takenOver(component), elsewhere.get().runDir().root().toString());
        });
        log("stopped " + name + " that the devstack of " + elsewhere.get().runDir().root()
                + " started; the next up starts it there again");
        return true;
    }

    /** Where a component this devstack stopped for another checkout lives (so up restores it there). */
    private Path takenOver(Component component) {
        return run.dir("taken-over").resolve(component.name().toLowerCase());
    }

    private Optional<RunDir> takenFrom(Component component) {
        try {
            Path marker = takenOver(component);
            return Files.isRegularFile(marker) ? Optional.of(new RunDir(Path.of(Files.readString(marker).trim())))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RunDir runDir() {
        return run;
    }

    private void withLock(Runnable action) {
        try (FileChannel channel = FileChannel.open(run.dir("").resolve("devstack.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void log(String message) {
        System.out.println("[devstack] " + message);
    }
}
