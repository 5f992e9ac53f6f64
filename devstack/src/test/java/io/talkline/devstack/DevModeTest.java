package io.talkline.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./platform dev <service>}: dev mode takes the place of the service's first instance. */
class DevModeTest {

    @TempDir
    Path runDir;

    @Test
    void devModeStopsTheFirstInstanceAndRunsAsItOnItsPortWithItsPeers() throws Exception {
        RunDir run = new RunDir(runDir);
        Platform platform = new Platform(run, 19600);
        Process first = new ProcessBuilder("sleep", "60").start(); // stands in for chat-service-1
        Files.writeString(run.pidFile("chat-service-1"), Long.toString(first.pid()));
        try {
            List<String> options = platform.replaceForDevMode("chat-service");

            assertTrue(first.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "the packaged instance makes room");
            assertFalse(Files.exists(run.pidFile("chat-service-1")));
            assertTrue(options.containsAll(List.of("-Dquarkus.http.port=19602", "-Dquarkus.http.host=127.0.0.1",
                    "-Dtalkline.instance-id=chat-service-1",
                    "-Dplatform.auth.jwks-url=http://127.0.0.1:19601/.well-known/jwks.json",
                    "-Dquarkus.rest-client.media.url=http://127.0.0.1:19604",
                    "-Dquarkus.rest-client.auth.url=http://127.0.0.1:19601")), options.toString());
            // the dev profile has the development credentials: no other profile is forced on it
            assertTrue(options.stream().noneMatch(option -> option.startsWith("-Dquarkus.profile")), options.toString());
            assertEquals(options, platform.options(platform.instance("chat-service-1").orElseThrow()),
                    "the same identity as the packaged instance it replaces");
        } finally {
            first.destroyForcibly();
        }
    }

    @Test
    void anUnknownServiceIsNamedWithTheOnesThereAre() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new Platform(new RunDir(runDir), 19600, Map.of()).replaceForDevMode("chat"));
        assertTrue(refused.getMessage().contains("no service named chat; one of [auth-service, chat-service"),
                refused.getMessage());
    }
}
