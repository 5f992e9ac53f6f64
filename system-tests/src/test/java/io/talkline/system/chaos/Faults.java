package io.talkline.system.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;

import io.talkline.devstack.Component;
import io.talkline.devstack.Devstack;
import io.talkline.devstack.Infra;
import io.talkline.devstack.Platform;
import io.talkline.devstack.Probes;

/**
 * The faults a chaos run injects. Instances are the run's own processes. Redis and MariaDB are the
 * machine's (this suite is for development and CI machines: it stops them); they are started again
 * the way devstack starts them. Kafka is devstack's own process.
 */
final class Faults {

    private final Platform platform;

    Faults(Platform platform) {
        this.platform = platform;
    }

    Fault kill(String instance) {
        return new Fault("SIGKILL " + instance, () -> {
            Platform.Instance target = platform.instance(instance).orElseThrow();
            platform.kill(target);
            return new Fault.Recovery(-1, startAgain(target));
        });
    }

    Fault terminate(String instance) {
        return new Fault("SIGTERM " + instance, () -> {
            Platform.Instance target = platform.instance(instance).orElseThrow();
            long start = System.nanoTime();
            platform.stop(target);
            long stopped = (System.nanoTime() - start) / 1_000_000;
            return new Fault.Recovery(stopped, startAgain(target));
        });
    }

    private long startAgain(Platform.Instance target) {
        long start = System.nanoTime();
        platform.start(target);
        platform.awaitReady(target);
        return (System.nanoTime() - start) / 1_000_000;
    }

    Fault restartRedis(Duration down) {
        return new Fault("Redis restarted (" + down.toSeconds() + " s down)", () -> {
            redisCommand("SHUTDOWN", "NOSAVE");
            Probes.await("Redis to stop", Duration.ofSeconds(10), () -> !Probes.redisPong(Infra.HOST, Infra.REDIS_PORT));
            Thread.sleep(down.toMillis());
            long start = System.nanoTime();
            Devstack.shared().up(EnumSet.of(Component.REDIS));
            return new Fault.Recovery(-1, (System.nanoTime() - start) / 1_000_000);
        });
    }

    Fault stopKafka(Duration down) {
        return new Fault("Kafka stopped for " + down.toSeconds() + " s", () -> {
            Devstack devstack = Devstack.shared();
            if (!devstack.stop(Component.KAFKA)) {
                throw new IllegalStateException("the Kafka on " + Infra.kafkaBootstrap() + " was not started by devstack");
            }
            Thread.sleep(down.toMillis());
            long start = System.nanoTime();
            devstack.up(EnumSet.of(Component.KAFKA));
            return new Fault.Recovery(-1, (System.nanoTime() - start) / 1_000_000);
        });
    }

    Fault restartMariaDb() {
        return new Fault("MariaDB restarted", () -> {
            try (Connection connection = DriverManager.getConnection(
                    Infra.jdbcUrl("") + "?allowPublicKeyRetrieval=true&useSSL=false",
                    Infra.MARIADB_USER, Infra.MARIADB_PASSWORD); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException e) {
                // the connection may die with the server: what counts is that the port closes
            }
            // the port closes first, the process ends once InnoDB is flushed: started before that,
            // start-stop-daemon finds it "already running" and starts nothing
            Probes.await("MariaDB to stop", Duration.ofSeconds(120), () -> !Probes.tcpOpen(Infra.HOST, Infra.MARIADB_PORT)
                    && ProcessHandle.allProcesses().noneMatch(p -> p.info().command().orElse("").endsWith("/mariadbd")));
            long start = System.nanoTime();
            Devstack.shared().up(EnumSet.of(Component.MARIADB));
            return new Fault.Recovery(-1, (System.nanoTime() - start) / 1_000_000);
        });
    }

    /** RESP: one command to the machine's Redis, its first reply line ignored (SHUTDOWN has none). */
    private static void redisCommand(String... words) throws IOException {
        StringBuilder command = new StringBuilder("*" + words.length + "\r\n");
        for (String word : words) {
            command.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
        }
        try (Socket socket = new Socket(Infra.HOST, Infra.REDIS_PORT)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(command.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // until Redis closes the connection as it goes
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new IllegalStateException("Redis did not stop on SHUTDOWN", e);
        }
    }
}
