package io.talkline.auth.events;

import static io.restassured.RestAssured.given;
import static io.talkline.auth.TestUser.PASSWORD;
import static io.talkline.auth.TestUser.refresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.talkline.auth.TestUser;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.Outages;
import io.talkline.commons.testing.TopicReader;
import io.talkline.devstack.Component;
import io.talkline.devstack.Devstack;

@QuarkusTest
class AuditEventsTest {

    private static final String CLIENT = "198.51.100.23";
    private static final String AGENT = "AuditEventsTest/1.0";

    @Inject
    AgroalDataSource dataSource;

    /** A request as a browser behind the gateway would make it, with a request id of its own. */
    private static RequestSpecification request(String requestId) {
        return given().header("X-Request-Id", requestId).header("X-Forwarded-For", CLIENT).header("User-Agent", AGENT)
                .contentType(ContentType.JSON);
    }

    private static String id() {
        return "audit-" + UUID.randomUUID();
    }

    private static TopicReader.Received await(TopicReader topic, String type, String requestId) {
        TopicReader.Received[] found = new TopicReader.Received[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> (found[0] = topic
                        .find(r -> r.event().type().equals(type) && requestId.equals(r.event().requestId()))
                        .orElse(null)) != null);
        return found[0];
    }

    @Test
    void everySecurityRelevantActionIsAnAuditEventWithRequestIdAddressAndAgent() {
        try (TopicReader topic = new TopicReader(Topics.AUDIT)) {
            TestUser user = TestUser.register();
            String name = user.name();
            String loginId = id();
            JsonPath pair = request(loginId).body(Map.of("username", name, "password", PASSWORD)).post("/api/auth/login")
                    .then().statusCode(200).extract().jsonPath();
            String userId = pair.getString("user.id");
            TopicReader.Received ok = await(topic, "auth.login.succeeded", loginId);
            assertEquals(userId, ok.key());
            assertEquals(userId, ok.event().actorId());
            assertEquals(loginId, ok.requestIdHeader());
            assertEquals("auth-service", ok.event().payload().get("service").asText());
            assertEquals(CLIENT, ok.event().payload().get("ip").asText());
            assertEquals(AGENT, ok.event().payload().get("userAgent").asText());
            assertEquals(pair.getString("user.id"), ok.event().actorId());

            String failedId = id();
            request(failedId).body(Map.of("username", name, "password", "wrong password!")).post("/api/auth/login").then()
                    .statusCode(401);
            TopicReader.Received failed = await(topic, "auth.login.failed", failedId);
            assertNull(failed.event().actorId());
            assertEquals("bad_credentials", failed.event().payload().get("data").get("reason").asText());
            assertEquals(userId, failed.event().payload().get("data").get("userId").asText());

            String unknownId = id();
            request(unknownId).body(Map.of("username", "nobody-" + name, "password", PASSWORD)).post("/api/auth/login")
                    .then().statusCode(401);
            assertEquals("nobody-" + name, await(topic, "auth.login.failed", unknownId).key());

            // reuse of a spent refresh token
            String spent = pair.getString("refreshToken");
            refresh(spent).statusCode(200);
            String reuseId = id();
            request(reuseId).body(Map.of("refreshToken", spent)).post("/api/auth/refresh").then().statusCode(401);
            assertEquals(pair.getString("user.id"), await(topic, "auth.refresh.reuse_detected", reuseId).key());

            JsonPath second = user.login();
            String logoutId = id();
            request(logoutId).header("Authorization", "Bearer " + second.getString("accessToken")).post("/api/auth/logout")
                    .then().statusCode(204);
            assertEquals(userId, await(topic, "auth.logout", logoutId).event().actorId());

            JsonPath third = user.login();
            String logoutAllId = id();
            request(logoutAllId).header("Authorization", "Bearer " + third.getString("accessToken"))
                    .post("/api/auth/logout-all").then().statusCode(204);
            assertEquals(userId, await(topic, "auth.logout_all", logoutAllId).event().actorId());

            JsonPath admin = TestUser.admin().login();
            String rolesId = id();
            request(rolesId).header("Authorization", "Bearer " + admin.getString("accessToken"))
                    .body(Map.of("roles", List.of("moderator"))).put("/api/auth/users/" + userId + "/roles").then()
                    .statusCode(200);
            TopicReader.Received roles = await(topic, "auth.roles.changed", rolesId);
            assertEquals(admin.getString("user.id"), roles.event().actorId());
            assertEquals(userId, roles.key());
            assertEquals("[\"user\"]", roles.event().payload().get("data").get("before").toString());
            assertEquals("[\"moderator\",\"user\"]", roles.event().payload().get("data").get("after").toString());

            String disableId = id();
            request(disableId).header("Authorization", "Bearer " + admin.getString("accessToken"))
                    .body(Map.of("disabled", true, "reason", "spam")).put("/api/auth/users/" + userId + "/disabled").then()
                    .statusCode(200);
            TopicReader.Received disabled = await(topic, "auth.user.disabled", disableId);
            assertEquals("spam", disabled.event().payload().get("data").get("reason").asText());

            String refusedId = id();
            request(refusedId).body(Map.of("username", name, "password", PASSWORD)).post("/api/auth/login").then()
                    .statusCode(403);
            assertEquals("disabled", await(topic, "auth.login.failed", refusedId).event().payload().get("data").get("reason")
                    .asText());
            assertEquals(1,
                    topic.count(r -> r.event().type().equals("auth.login.succeeded") && loginId.equals(r.event().requestId())));
        }
    }

    @Test
    void eventsWrittenWhileKafkaIsDownArriveWhenItIsBack() throws SQLException {
        try (TopicReader topic = new TopicReader(Topics.AUDIT)) {
            String name = TestUser.register().name();
            Outages.stop(Component.KAFKA);
            String loginId;
            String failedId;
            try {
                loginId = id();
                request(loginId).body(Map.of("username", name, "password", PASSWORD)).post("/api/auth/login").then()
                        .statusCode(200);
                failedId = id();
                request(failedId).body(Map.of("username", name, "password", "wrong password!")).post("/api/auth/login")
                        .then().statusCode(401);
                // they wait in the outbox, committed with the login itself
                assertEquals(2, waiting(loginId, failedId));
            } finally {
                Devstack.shared().up(EnumSet.of(Component.KAFKA));
            }
            await(topic, "auth.login.succeeded", loginId);
            await(topic, "auth.login.failed", failedId);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> waiting(loginId, failedId) == 0);
        }
    }

    private long waiting(String... requestIds) throws SQLException {
        try (var connection = dataSource.getConnection();
                var query = connection.prepareStatement(
                        "select count(*) from outbox where topic = ? and request_id in (" + "?,".repeat(requestIds.length - 1)
                                + "?)")) {
            query.setString(1, Topics.AUDIT);
            for (int i = 0; i < requestIds.length; i++) {
                query.setString(i + 2, requestIds[i]);
            }
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
