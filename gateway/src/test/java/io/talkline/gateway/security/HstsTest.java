package io.talkline.gateway.security;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A deployment served over TLS turns HSTS on: every answer then carries it, proxied or the gateway's
 * own. Without it (every other test's gateway) no answer does: {@link SecurityAssertions#hardened}.
 */
@QuarkusTest
@TestProfile(HstsTest.Tls.class)
class HstsTest {

    public static class Tls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.security.hsts", "true", "gateway.security.hsts-max-age", "P30D");
        }
    }

    private static final String HSTS = "max-age=2592000; includeSubDomains";

    @Test
    void everyAnswerCarriesHstsWithTheConfiguredMaxAge() {
        given().get("/api/rooms").then().statusCode(200).header("Strict-Transport-Security", HSTS);
        given().get("/api/no-such-route").then().statusCode(404).header("Strict-Transport-Security", HSTS);
        given().get("/api/audit/events").then().statusCode(503).header("Strict-Transport-Security", HSTS);
        given().header("X-Padding", "x".repeat(20 * 1024)).get("/api/rooms").then().statusCode(431)
                .header("Strict-Transport-Security", HSTS);
    }
}
