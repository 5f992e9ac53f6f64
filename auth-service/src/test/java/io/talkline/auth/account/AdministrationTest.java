package io.talkline.auth.account;

import static io.restassured.RestAssured.given;
import static io.talkline.auth.session.LoginAndRefreshTest.login;
import static io.talkline.auth.session.LoginAndRefreshTest.refresh;
import static io.talkline.auth.session.LoginAndRefreshTest.register;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.talkline.auth.AuthTestResource;
import io.talkline.devstack.DevstackResource;

@QuarkusTest
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,redis,kafka"))
@QuarkusTestResource(AuthTestResource.class)
class AdministrationTest {

    static RequestSpecification as(JsonPath pair) {
        return given().header("Authorization", "Bearer " + pair.getString("accessToken")).contentType(ContentType.JSON);
    }

    static JsonPath admin() {
        return given().contentType(ContentType.JSON)
                .body(Map.of("username", AuthTestResource.ADMIN, "password", "bootstrap-secret-" + AuthTestResource.ADMIN))
                .post("/api/auth/login").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void sessionsAreListedAndOneCanBeEnded() {
        String name = register();
        JsonPath laptop = login(name);
        JsonPath phone = login(name);
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
        as(login(register())).delete("/api/auth/sessions/" + laptop.getString("user.id")).then().statusCode(404);
    }

    @Test
    void userSearchIsAPublicProfilePrefixMatch() {
        String name = register();
        JsonPath caller = login(register());
        as(caller).queryParam("query", name.substring(0, 6).toUpperCase()).get("/api/auth/users").then().statusCode(200)
                .body("items.username", hasItem(name))
                .body("items[0]", not(org.hamcrest.Matchers.hasKey("email")));
        as(caller).queryParam("query", "x").get("/api/auth/users").then().statusCode(400)
                .body("errors.field", hasItem("query"));
        given().queryParam("query", "abc").get("/api/auth/users").then().statusCode(401);
    }

    @Test
    void onlyAdminsChangeRolesAndOldTokensStopAtOnce() {
        JsonPath target = login(register());
        String id = target.getString("user.id");
        as(target).body(Map.of("roles", List.of("admin"))).put("/api/auth/users/" + id + "/roles")
                .then().statusCode(403).contentType("application/problem+json");
        JsonPath admin = admin();
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

    /** The payload of a signed token, unverified: the server's own tests read what it wrote. */
    static JsonPath claims(String jwt) {
        return new JsonPath(new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aLoginRightAfterARoleChangeAlwaysWorksWhileEarlierTokensStop() {
        JsonPath admin = admin();
        String name = register();
        String id = login(name).getString("user.id");
        // iat has whole seconds: before tokens carried milliseconds, about half of these logins were refused
        for (int i = 0; i < 8; i++) {
            JsonPath before = login(name);
            List<String> roles = i % 2 == 0 ? List.of("moderator") : List.of("user");
            as(admin).body(Map.of("roles", roles)).put("/api/auth/users/" + id + "/roles").then().statusCode(200);
            JsonPath after = login(name);
            as(after).get("/api/auth/me").then().statusCode(200).body("roles", hasItem(roles.getFirst()));
            as(before).get("/api/auth/me").then().statusCode(401);
        }
    }

    @Test
    void disablingEndsEverythingAndModeratorsCannotDisableStaff() {
        JsonPath admin = admin();
        String moderatorName = register();
        JsonPath moderatorPair = login(moderatorName);
        as(admin).body(Map.of("roles", List.of("moderator")))
                .put("/api/auth/users/" + moderatorPair.getString("user.id") + "/roles")
                .then().statusCode(200);
        JsonPath[] moderator = new JsonPath[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            moderator[0] = login(moderatorName);
            as(moderator[0]).get("/api/auth/me").then().statusCode(200);
        });

        String victimName = register();
        JsonPath victim = login(victimName);
        as(moderator[0]).body(Map.of("disabled", true, "reason", "spam"))
                .put("/api/auth/users/" + victim.getString("user.id") + "/disabled")
                .then().statusCode(200).body("username", equalTo(victimName));
        as(victim).get("/api/auth/me").then().statusCode(401);
        refresh(victim.getString("refreshToken")).statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("username", victimName, "password", "a long enough password"))
                .post("/api/auth/login").then().statusCode(403);

        as(moderator[0]).body(Map.of("disabled", true)).put("/api/auth/users/" + admin.getString("user.id") + "/disabled")
                .then().statusCode(403);
        as(victim).body(Map.of("disabled", false)).put("/api/auth/users/" + victim.getString("user.id") + "/disabled")
                .then().statusCode(401);

        as(admin).body(Map.of("disabled", false)).put("/api/auth/users/" + victim.getString("user.id") + "/disabled")
                .then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> as(login(victimName)).get("/api/auth/me").then().statusCode(200));
    }
}
