package io.talkline.auth.account;

import static io.restassured.RestAssured.given;
import static io.talkline.auth.TestUser.as;
import static io.talkline.auth.TestUser.claims;
import static io.talkline.auth.TestUser.refresh;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.talkline.auth.TestUser;

@QuarkusTest
class AdministrationTest {

    @Test
    void sessionsAreListedAndOneCanBeEnded() {
        TestUser user = TestUser.register();
        JsonPath laptop = user.login();
        JsonPath phone = user.login();
        as(laptop).get("/api/auth/sessions").then().statusCode(200).body("items", hasSize(2))
                .body("items.findAll { it.current }", hasSize(1));
        String phoneSession = as(phone).get("/api/auth/sessions").then().extract()
                .path("items.find { it.current }.id");
        as(laptop).delete("/api/auth/sessions/" + phoneSession).then().statusCode(204);
        as(phone).get("/api/auth/me").then().statusCode(401);
        refresh(phone.getString("refreshToken")).statusCode(401);
        as(laptop).get("/api/auth/me").then().statusCode(200);
        // gone, or someone else's: not found either way
        as(laptop).delete("/api/auth/sessions/" + phoneSession).then().statusCode(404);
        as(TestUser.register().login()).delete("/api/auth/sessions/" + laptop.getString("user.id")).then().statusCode(404);
    }

    @Test
    void userSearchIsAPublicProfilePrefixMatch() {
        String name = TestUser.register().name();
        JsonPath caller = TestUser.register().login();
        as(caller).queryParam("query", name.substring(0, 6).toUpperCase()).get("/api/auth/users").then().statusCode(200)
                .body("items.username", hasItem(name))
                .body("items[0]", not(org.hamcrest.Matchers.hasKey("email")));
        as(caller).queryParam("query", "x").get("/api/auth/users").then().statusCode(400)
                .body("errors.field", hasItem("query"));
        given().queryParam("query", "abc").get("/api/auth/users").then().statusCode(401);
    }

    @Test
    void onlyAdminsChangeRolesAndOldTokensStopAtOnce() {
        JsonPath target = TestUser.register().login();
        String id = target.getString("user.id");
        as(target).body(Map.of("roles", List.of("admin"))).put("/api/auth/users/" + id + "/roles")
                .then().statusCode(403).contentType("application/problem+json");
        JsonPath admin = TestUser.admin().login();
        as(admin).body(Map.of("roles", List.of("superuser"))).put("/api/auth/users/" + id + "/roles")
                .then().statusCode(400).body("errors.field", hasItem("roles"));
        as(admin).body(Map.of("roles", List.of("moderator"))).put("/api/auth/users/no-such-id/roles").then().statusCode(404);
        as(admin).body(Map.of("roles", List.of("moderator"))).put("/api/auth/users/" + id + "/roles")
                .then().statusCode(200).body("roles", containsInAnyOrder("moderator", "user"));
        as(target).get("/api/auth/me").then().statusCode(401); // carried the old roles
        // the session opened before the change lives on: its next refresh carries the new roles
        String[] refreshToken = { target.getString("refreshToken") };
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            // each refresh spends its token: the next try goes on with the one it was given
            JsonPath renewed = refresh(refreshToken[0]).statusCode(200).extract().jsonPath();
            refreshToken[0] = renewed.getString("refreshToken");
            JsonPath claims = claims(renewed.getString("accessToken"));
            org.junit.jupiter.api.Assertions.assertEquals(claims(target.getString("accessToken")).getString("sid"),
                    claims.getString("sid"), "the refresh must continue the old session");
            org.junit.jupiter.api.Assertions.assertEquals(List.of("moderator", "user"), claims.getList("groups"));
            as(renewed).get("/api/auth/me").then().statusCode(200).body("roles", containsInAnyOrder("moderator", "user"));
        });
    }

    @Test
    void aLoginRightAfterARoleChangeAlwaysWorksWhileEarlierTokensStop() {
        JsonPath admin = TestUser.admin().login();
        TestUser user = TestUser.register();
        String id = user.login().getString("user.id");
        // iat has whole seconds: before tokens carried milliseconds, about half of these logins were refused
        for (int i = 0; i < 8; i++) {
            JsonPath before = user.login();
            List<String> roles = i % 2 == 0 ? List.of("moderator") : List.of("user");
            as(admin).body(Map.of("roles", roles)).put("/api/auth/users/" + id + "/roles").then().statusCode(200);
            JsonPath after = user.login();
            as(after).get("/api/auth/me").then().statusCode(200).body("roles", hasItem(roles.getFirst()));
            as(before).get("/api/auth/me").then().statusCode(401);
        }
    }

    @Test
    void disablingEndsEverythingAndModeratorsCannotDisableStaff() {
        JsonPath admin = TestUser.admin().login();
        TestUser moderatorUser = TestUser.register();
        JsonPath moderatorPair = moderatorUser.login();
        as(admin).body(Map.of("roles", List.of("moderator")))
                .put("/api/auth/users/" + moderatorPair.getString("user.id") + "/roles")
                .then().statusCode(200);
        JsonPath[] moderator = new JsonPath[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            moderator[0] = moderatorUser.login();
            as(moderator[0]).get("/api/auth/me").then().statusCode(200);
        });

        TestUser victimUser = TestUser.register();
        JsonPath victim = victimUser.login();
        as(moderator[0]).body(Map.of("disabled", true, "reason", "spam"))
                .put("/api/auth/users/" + victim.getString("user.id") + "/disabled")
                .then().statusCode(200).body("username", equalTo(victimUser.name()));
        as(victim).get("/api/auth/me").then().statusCode(401);
        refresh(victim.getString("refreshToken")).statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("username", victimUser.name(), "password", TestUser.PASSWORD))
                .post("/api/auth/login").then().statusCode(403);

        as(moderator[0]).body(Map.of("disabled", true)).put("/api/auth/users/" + admin.getString("user.id") + "/disabled")
                .then().statusCode(403);
        as(victim).body(Map.of("disabled", false)).put("/api/auth/users/" + victim.getString("user.id") + "/disabled")
                .then().statusCode(401);

        as(admin).body(Map.of("disabled", false)).put("/api/auth/users/" + victim.getString("user.id") + "/disabled")
                .then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> as(victimUser.login()).get("/api/auth/me").then().statusCode(200));
    }
}
