package io.talkline.auth;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.talkline.devstack.Component;
import io.talkline.devstack.DevSecrets;
import io.talkline.devstack.Devstack;
import io.talkline.devstack.Infra;

/**
 * A schema of this run's own (so "the first admin of a fresh install" really is the first), a
 * signing key and a retired one generated for the tests (never committed), a cheap bcrypt cost and
 * a bootstrap admin.
 */
public class AuthTestResource implements QuarkusTestResourceLifecycleManager {

    private final String database = "auth_test_" + Long.toHexString(System.nanoTime());

    public static final String ADMIN = "root_" + Long.toHexString(System.nanoTime());
    public static final Path KEYS = Path.of("target/test-secrets").toAbsolutePath();

    @Override
    public Map<String, String> start() {
        Devstack.shared().up(EnumSet.of(Component.MARIADB));
        // logins and registrations are counted per client address in shared Redis: a request that
        // names no client comes from an address of its own (the throttle tests name theirs)
        io.restassured.RestAssured.filters((request, response, next) -> {
            if (!request.getHeaders().hasHeaderWithName("X-Forwarded-For")) {
                request.header("X-Forwarded-For", randomAddress());
            }
            return next.next(request, response);
        });
        sql("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        Path current = DevSecrets.authSigningKey(KEYS.resolve("current"));
        Path retired = DevSecrets.authSigningKey(KEYS.resolve("retired"));
        // a fixed free port: the verifier in this very service fetches its JWKS over HTTP
        int port = freePort();
        return Map.of(
                "quarkus.http.test-port", Integer.toString(port),
                "platform.auth.jwks-url", "http://127.0.0.1:" + port + "/.well-known/jwks.json",
                "quarkus.datasource.jdbc.url", Infra.jdbcUrl(database),
                "auth.signing.key-file", current.toString(),
                "auth.signing.retired-key-files", retired.toString(),
                "auth.bcrypt-cost", "4",
                "auth.bootstrap-admin.username", ADMIN,
                "auth.bootstrap-admin.email", ADMIN + "@example.org",
                "auth.bootstrap-admin.password", "bootstrap-secret-" + ADMIN);
    }

    @Override
    public void stop() {
        sql("DROP DATABASE IF EXISTS `" + database + "`");
    }

    public static String randomAddress() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    private static int freePort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
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
