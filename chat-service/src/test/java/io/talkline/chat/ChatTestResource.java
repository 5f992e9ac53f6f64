package io.talkline.chat;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.talkline.devstack.Component;
import io.talkline.devstack.Devstack;
import io.talkline.devstack.Infra;

/** A schema of this run's own, so counts and sequences start from nothing. */
public class ChatTestResource implements QuarkusTestResourceLifecycleManager {

    private final String database = "chat_test_" + Long.toHexString(System.nanoTime());

    @Override
    public Map<String, String> start() {
        Devstack.shared().up(EnumSet.of(Component.MARIADB));
        sql("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        // short timers, so that expiry and sweeps show within a test
        return Map.ofEntries(Map.entry("quarkus.datasource.jdbc.url", Infra.jdbcUrl(database)),
                Map.entry("chat.socket.revocation-check", "500ms"), Map.entry("chat.presence.ttl", "2s"),
                Map.entry("chat.presence.heartbeat", "500ms"), Map.entry("chat.presence.sweep", "300ms"),
                Map.entry("chat.typing.expiry", "1500ms"), Map.entry("chat.socket.send-queue-limit", "262144"),
                Map.entry("chat.socket.write-timeout", "3s"), Map.entry("chat.socket.token-grace", "1s"),
                // slow refills: a test that spends a budget is not undone by time passing on a busy machine
                Map.entry("chat.socket.budget.socket-rate", "2"), Map.entry("chat.socket.budget.user-rate", "4"));
    }

    @Override
    public void stop() {
        sql("DROP DATABASE IF EXISTS `" + database + "`");
    }

    private static void sql(String statement) {
        try (var connection = DriverManager.getConnection(Infra.jdbcUrl(""), Infra.MARIADB_USER, Infra.MARIADB_PASSWORD);
                var sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }
}
