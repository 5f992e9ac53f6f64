package io.talkline.devstack.servers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import io.talkline.devstack.Component;
import io.talkline.devstack.Infra;
import io.talkline.devstack.Probes;
import io.talkline.devstack.Processes;
import io.talkline.devstack.RunDir;

/** MariaDB is a system service here: started when installed but stopped, never stopped by devstack. */
public final class MariaDb implements Server {

    private static final Path DAEMON = Path.of("/usr/sbin/mariadbd");
    private final RunDir run;

    public MariaDb(RunDir run) {
        this.run = run;
    }

    @Override
    public Component component() {
        return Component.MARIADB;
    }

    @Override
    public boolean healthy() {
        try (Connection ignored = connect()) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public String missingPrerequisite() {
        if (Probes.tcpOpen(Infra.HOST, Infra.MARIADB_PORT) || Files.isExecutable(DAEMON)) {
            return null;
        }
        return "MariaDB (or MySQL) is not running on " + Infra.HOST + ":" + Infra.MARIADB_PORT
                + " and is not installed: apt-get install -y mariadb-server";
    }

    @Override
    public void start() {
        Path log = run.log("mariadb-start");
        if (!Probes.tcpOpen(Infra.HOST, Infra.MARIADB_PORT)) {
            // a root-started mariadbd must drop to the mysql user, which owns /run/mysqld
            Processes.run(List.of("install", "-d", "-o", "mysql", "-g", "mysql", "/run/mysqld"), log, Duration.ofSeconds(10));
            Processes.run(List.of("start-stop-daemon", "--start", "--oknodo", "--background", "--exec",
                    DAEMON.toString(), "--", "--user=mysql"), log, Duration.ofSeconds(30));
            Probes.await("MariaDB port " + Infra.MARIADB_PORT, Duration.ofSeconds(60),
                    () -> Probes.tcpOpen(Infra.HOST, Infra.MARIADB_PORT));
        }
        if (!healthy() && Infra.MARIADB_USER.equals("root") && Processes.onPath("mariadb")) {
            // Debian's root logs in over the unix socket only; allow the passwordless TCP login tests use
            Processes.run(List.of("mariadb", "-uroot", "-e",
                    "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket"),
                    log, Duration.ofSeconds(30));
        }
        Probes.await("MariaDB login as " + Infra.MARIADB_USER, Duration.ofSeconds(30), this::healthy);
    }

    @Override
    public void init() {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String database : Infra.DATABASES) {
                statement.execute("CREATE DATABASE IF NOT EXISTS `" + database
                        + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the service schemas: " + e.getMessage(), e);
        }
    }

    private static Connection connect() throws SQLException {
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection(Infra.jdbcUrl("") + "?connectTimeout=2000&allowPublicKeyRetrieval=true&useSSL=false",
                Infra.MARIADB_USER, Infra.MARIADB_PASSWORD);
    }
}
