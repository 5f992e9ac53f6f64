package io.talkline.system;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.talkline.devstack.DevSecrets;
import io.talkline.devstack.Processes;
import io.talkline.devstack.Repo;

/**
 * A packaged service started as a deployment would start it (the prod profile) without its secrets
 * must not run on development values: it stops at start, naming what is missing.
 */
class ProductionSecretsTest {

    @ParameterizedTest
    @CsvSource({
            "auth-service, quarkus.datasource.username (QUARKUS_DATASOURCE_USERNAME)",
            "chat-service, quarkus.datasource.password (QUARKUS_DATASOURCE_PASSWORD)",
            "media-service, quarkus.minio.secret-key (QUARKUS_MINIO_SECRET_KEY)",
            "signaling-service, signaling.ice.turn-secret" })
    void aServiceWithoutItsSecretsStopsAtStartNamingThem(String module, String named) throws Exception {
        Path jar = Repo.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        Path log = Files.createTempFile("secrets-" + module, ".log");
        try (var socket = new java.net.ServerSocket(0)) {
            int port = socket.getLocalPort();
            socket.close();
            List<String> command = new java.util.ArrayList<>(List.of(Processes.java(), "-Xmx256m",
                    "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                    // no database work at start: what is checked here is the configuration alone
                    "-Dquarkus.flyway.migrate-at-start=false"));
            if (module.equals("auth-service")) {
                command.add("-Dauth.signing.key-file=" + DevSecrets.authSigningKey(Files.createTempDirectory("keys")));
            }
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(new File("/dev/null"));
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("TALKLINE_")
                    || name.startsWith("SIGNALING_") || name.startsWith("PLATFORM_"));
            Process process = builder.start();
            boolean exited = process.waitFor(90, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor();
            }
            String output = Files.readString(log);
            assertTrue(exited, module + " kept running without its secrets:\n" + output);
            assertNotEquals(0, process.exitValue(), output);
            assertTrue(output.contains(named), module + " did not name " + named + ":\n" + output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
