package io.talkline.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher against the real servers: idempotent, reuses what answers, stops only its own. */
class DevstackTest {

    @Test
    void upIsIdempotentAndCreatesSchemasAndTopics() throws Exception {
        Devstack devstack = Devstack.shared();
        boolean answeredBefore = Probes.tcpOpen(Infra.HOST, Infra.KAFKA_PORT);
        devstack.up(EnumSet.of(Component.MARIADB, Component.REDIS, Component.KAFKA));
        Path kafkaPid = devstack.runDir().pidFile("kafka");
        // whoever started it, Kafka answers now; which of the two it is, only the pid file tells
        boolean ours = Files.exists(kafkaPid);
        String pidBefore = ours ? Files.readString(kafkaPid).trim() : null;
        assertTrue(answeredBefore || ours, "nothing answered, so devstack must have started Kafka");
        assertKafkaState(devstack, ours, pidBefore);

        devstack.up(EnumSet.of(Component.MARIADB, Component.REDIS, Component.KAFKA));

        // a second up must neither start another Kafka nor forget or claim the one there is
        assertEquals(ours, Files.exists(kafkaPid), "a second up must not change who started Kafka");
        if (ours) {
            assertEquals(pidBefore, Files.readString(kafkaPid).trim(), "a second up must not start another Kafka");
        }
        assertKafkaState(devstack, ours, pidBefore);
        try (var connection = DriverManager.getConnection(Infra.jdbcUrl(""), Infra.MARIADB_USER, Infra.MARIADB_PASSWORD);
                var rows = connection.createStatement().executeQuery("SHOW DATABASES")) {
            Set<String> databases = new HashSet<>();
            while (rows.next()) {
                databases.add(rows.getString(1));
            }
            assertTrue(databases.containsAll(Infra.DATABASES), databases.toString());
        }
        try (var admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", Infra.kafkaBootstrap()))) {
            assertTrue(admin.listTopics().names().get().containsAll(Infra.TOPICS));
        }
    }

    /**
     * Kafka answers on its port, and devstack claims it (a live pid file: what down stops) exactly
     * when it started it itself; otherwise it is reused, not claimed.
     */
    private static void assertKafkaState(Devstack devstack, boolean ours, String pid) {
        assertTrue(Probes.tcpOpen(Infra.HOST, Infra.KAFKA_PORT), "Kafka must answer on " + Infra.KAFKA_PORT);
        boolean claimed = new Processes(devstack.runDir()).ours("kafka").isPresent();
        if (ours) {
            assertTrue(ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive).isPresent(),
                    "the Kafka devstack started (pid " + pid + ") must be alive");
            assertTrue(claimed, "devstack's own Kafka must be claimed");
        } else {
            assertFalse(claimed, "a Kafka devstack did not start is reused, not claimed");
        }
    }

    @Test
    void aLauncherThatStartedNothingStopsNothing(@TempDir Path otherRunDir) {
        Devstack.shared().up(EnumSet.of(Component.KAFKA));
        Devstack other = new Devstack(new RunDir(otherRunDir));

        other.up(EnumSet.of(Component.KAFKA)); // already answering: reused, not started
        assertFalse(Files.exists(otherRunDir.resolve("pids/kafka.pid")));
        other.down();

        assertTrue(Probes.tcpOpen(Infra.HOST, Infra.KAFKA_PORT), "Kafka must still run");
    }

    @Test
    void anOutageMayStopWhatAnotherCheckoutsDevstackStartedAndNothingElse(@TempDir Path elsewhere, @TempDir Path here)
            throws Exception {
        String name = "devstack-test-sleeper"; // not a real server's name: the registry is machine-wide
        Processes theirs = new Processes(new RunDir(elsewhere));
        Processes mine = new Processes(new RunDir(here));
        long pid = theirs.start(name, List.of("sleep", "600"), Map.of(), elsewhere);
        try {
            assertTrue(theirs.startedElsewhere(name).isEmpty(), "a checkout's own process is not 'elsewhere'");
            Processes.StartedElsewhere found = mine.startedElsewhere(name).orElseThrow();
            assertEquals(pid, found.process().pid());

            mine.stop(found, Duration.ofSeconds(5));
            assertFalse(ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent(), "it must be stopped");
            assertFalse(Files.exists(elsewhere.resolve("pids/" + name + ".pid")), "its pid file goes with it");
            assertTrue(mine.startedElsewhere(name).isEmpty());
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }

        // a process its run directory no longer names (stopped there, pid maybe reused) is never taken
        long second = theirs.start(name, List.of("sleep", "600"), Map.of(), elsewhere);
        try {
            Files.delete(elsewhere.resolve("pids/" + name + ".pid"));
            assertTrue(mine.startedElsewhere(name).isEmpty());
        } finally {
            ProcessHandle.of(second).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
