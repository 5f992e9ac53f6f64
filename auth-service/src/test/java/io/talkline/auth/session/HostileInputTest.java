package io.talkline.auth.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.talkline.auth.TestUser;

/** Whatever a client types into a login or registration form is answered 4xx problem+json, never 5xx. */
@QuarkusTest
class HostileInputTest {

    /** Line and paragraph separators, NEL, NUL, controls, a lone surrogate, bidi marks, full-width letters. */
    static final List<String> NAMES = List.of("a\u0085b", "a\u2028b", "a\u2029b", "a\u0000b", "a\r\nb", "a\tb",
            "\ud800", "x\u202Eevil", "ａｄｍｉｎ", "x".repeat(300), " ", "a\u0085@example.org", "\u0085");

    @Test
    void loginWithAnyUsernameIsAnsweredWithAProblem() {
        for (String name : NAMES) {
            given().contentType(ContentType.JSON).body(Map.of("username", name, "password", "some password"))
                    .post("/api/auth/login").then().statusCode(allOf(greaterThanOrEqualTo(400), lessThan(500)))
                    .contentType("application/problem+json");
        }
    }

    @Test
    void registrationWithAnyUsernameIsAnsweredWithAProblem() {
        for (String name : NAMES) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("username", name, "email", "x" + System.nanoTime() + "@example.org", "password",
                            "a long enough password", "displayName", name))
                    .post("/api/auth/register").then().statusCode(400).contentType("application/problem+json");
            given().contentType(ContentType.JSON)
                    .body(Map.of("username", "n" + Long.toHexString(System.nanoTime()), "email", name, "password",
                            "a long enough password"))
                    .post("/api/auth/register").then().statusCode(400).contentType("application/problem+json");
        }
    }

    @Test
    void tokenAndAccountAnswersAreNeverStored() {
        TestUser user = TestUser.register();
        io.restassured.path.json.JsonPath pair = given().contentType(ContentType.JSON)
                .body(Map.of("username", user.name(), "password", user.password())).post("/api/auth/login").then()
                .statusCode(200).header("Cache-Control", "no-store").extract().jsonPath();
        given().header("Authorization", "Bearer " + pair.getString("accessToken")).get("/api/auth/me").then()
                .statusCode(200).header("Cache-Control", "no-store");
        given().contentType(ContentType.JSON).body(Map.of("refreshToken", pair.getString("refreshToken")))
                .post("/api/auth/refresh").then().statusCode(200).header("Cache-Control", "no-store");
    }
}
