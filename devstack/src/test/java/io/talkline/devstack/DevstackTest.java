package io.talkline.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher against the real servers: idempotent, reuses what answers, stops only its own. */
class DevstackTest {

    @Test
    void upIsIdempotentAndCreatesSchemasAndTopics() throws Exception {
        Devstack devstack = Devstack.shared();
        devstack.up(EnumSet.of(Component.MARIADB, Component.REDIS, Component.KAFKA));
        Path kafkaPid = devstack.runDir().pidFile("kafka");
        String pidBefore = Files.exists(kafkaPid) ? Files.readString(kafkaPid) : "reused";

        devstack.up(EnumSet.of(Component.MARIADB, Component.REDIS, Component.KAFKA));

        assertEquals(pidBefore, Files.exists(kafkaPid) ? Files.readString(kafkaPid) : "reused",
                "a second up must not start another Kafka");
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

    @Test
    void aLauncherThatStartedNothingStopsNothing(@TempDir Path otherRunDir) {
        Devstack.shared().up(EnumSet.of(Component.KAFKA));
        Devstack other = new Devstack(new RunDir(otherRunDir));

        other.up(EnumSet.of(Component.KAFKA)); // already answering: reused, not started
        assertFalse(Files.exists(otherRunDir.resolve("pids/kafka.pid")));
        other.down();

        assertEquals("up", other.status().get(Component.KAFKA).substring(0, 2), "Kafka must still run");
    }
}
