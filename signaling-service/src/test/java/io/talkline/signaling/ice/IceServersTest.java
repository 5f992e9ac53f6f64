package io.talkline.signaling.ice;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.talkline.commons.testing.TestTokens;
import io.talkline.devstack.Infra;

/** The credentials the endpoint hands out open allocations on a real coturn; others do not. */
@QuarkusTest
class IceServersTest {

    /** What turnutils_uclient said and how it ended. */
    record Outcome(int exitCode, String output) {

        boolean refused() {
            return exitCode != 0 && output.contains("Cannot complete Allocation");
        }
    }

    /** Allocates a relay on the devstack coturn and sends through it (turnutils_uclient). */
    private static Outcome allocate(String username, String credential, boolean tcp) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("turnutils_uclient", "-u", username, "-w", credential,
                "-p", Integer.toString(Infra.TURN_PORT), "-n", "1", "-m", "1", "-e", Infra.HOST, "-y"));
        if (tcp) {
            command.add("-t");
        }
        command.add(Infra.HOST);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("turnutils_uclient did not finish");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        System.out.println("turnutils_uclient " + (tcp ? "tcp" : "udp") + " → " + process.exitValue() + "\n"
                + text.lines().filter(l -> l.contains("error") || l.contains("401") || l.contains("Total"))
                        .reduce("", (a, b) -> a + b + "\n"));
        return new Outcome(process.exitValue(), text);
    }

    @Test
    void theCallerGetsStunAndTurnWithCredentialsThatCoturnAccepts() throws Exception {
        String userId = UUID.randomUUID().toString();
        long before = Instant.now().getEpochSecond();
        String server = Infra.HOST + ":" + Infra.TURN_PORT;
        JsonPath servers = given().header("Authorization", "Bearer " + TestTokens.token(userId))
                .get("/api/calls/ice-servers").then().statusCode(200).body("ttl", equalTo(3600))
                .body("iceServers[0].urls", contains("stun:" + server))
                .body("iceServers[1].urls", contains("turn:" + server + "?transport=udp", "turn:" + server + "?transport=tcp"))
                .extract().jsonPath();
        String username = servers.getString("iceServers[1].username");
        String credential = servers.getString("iceServers[1].credential");
        String[] parts = username.split(":", 2);
        assertEquals(userId, parts[1]);
        long expiry = Long.parseLong(parts[0]);
        assertTrue(expiry >= before + 3600 && expiry <= Instant.now().getEpochSecond() + 3600, username);

        assertEquals(0, allocate(username, credential, false).exitCode(), "UDP allocation with the handed-out credential");
        assertEquals(0, allocate(username, credential, true).exitCode(), "TCP allocation with the handed-out credential");
    }

    @Test
    void expiredOrForeignCredentialsAreRefusedByCoturn() throws Exception {
        String userId = UUID.randomUUID().toString();
        String expired = (Instant.now().getEpochSecond() - 60) + ":" + userId;
        assertTrue(allocate(expired, TurnCredentials.sign(Infra.TURN_SECRET, expired), false).refused(), "expired");
        String fresh = (Instant.now().getEpochSecond() + 3600) + ":" + userId;
        assertTrue(allocate(fresh, TurnCredentials.sign("some other deployment's secret", fresh), false).refused(),
                "foreign secret");
        // and the same user with the right secret is let in: the refusals above were about the credential
        assertEquals(0, allocate(fresh, TurnCredentials.sign(Infra.TURN_SECRET, fresh), false).exitCode());
    }

    @Test
    void onlyAuthenticatedCallersGetCredentials() {
        given().get("/api/calls/ice-servers").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer not-a-token").get("/api/calls/ice-servers").then().statusCode(401);
    }
}
