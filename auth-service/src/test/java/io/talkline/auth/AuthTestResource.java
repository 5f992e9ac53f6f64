package io.talkline.auth;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.talkline.commons.testing.FreePorts;
import io.talkline.commons.testing.TestDatabases;
import io.talkline.devstack.DevSecrets;
import io.talkline.devstack.DevstackResource;
import io.talkline.devstack.Infra;

/**
 * The one declaration of this module's test resources (Quarkus applies them to every test): the
 * shared infrastructure, and a schema of this run's own (so "the first admin of a fresh install"
 * really is the first), a signing key and a retired one generated for the tests (never committed),
 * a cheap bcrypt cost and a bootstrap admin.
 */
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,redis,kafka"))
@QuarkusTestResource(AuthTestResource.class)
public class AuthTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN = "root_" + Long.toHexString(System.nanoTime());
    public static final String ADMIN_PASSWORD = "bootstrap-secret-" + ADMIN;
    public static final Path KEYS = Path.of("target/test-secrets").toAbsolutePath();

    private String database;

    @Override
    public Map<String, String> start() {
        // logins and registrations are counted per client address in shared Redis: a request that
        // names no client comes from an address of its own (the throttle tests name theirs)
        io.restassured.RestAssured.filters((request, response, next) -> {
            if (!request.getHeaders().hasHeaderWithName("X-Forwarded-For")) {
                request.header("X-Forwarded-For", randomAddress());
            }
            return next.next(request, response);
        });
        database = TestDatabases.create("auth_test");
        Path current = DevSecrets.authSigningKey(KEYS.resolve("current"));
        Path retired = DevSecrets.authSigningKey(KEYS.resolve("retired"));
        // a fixed free port: the verifier in this very service fetches its JWKS over HTTP
        int port = FreePorts.any();
        return Map.of(
                "quarkus.http.test-port", Integer.toString(port),
                "platform.auth.jwks-url", "http://127.0.0.1:" + port + "/.well-known/jwks.json",
                "quarkus.datasource.jdbc.url", Infra.jdbcUrl(database),
                "auth.signing.key-file", current.toString(),
                "auth.signing.retired-key-files", retired.toString(),
                "auth.bcrypt-cost", "4",
                "auth.bootstrap-admin.username", ADMIN,
                "auth.bootstrap-admin.email", ADMIN + "@example.org",
                "auth.bootstrap-admin.password", ADMIN_PASSWORD);
    }

    @Override
    public void stop() {
        if (database != null) {
            TestDatabases.drop(database);
        }
    }

    public static String randomAddress() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }
}
