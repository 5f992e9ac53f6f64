package io.talkline.auth;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * An account a test registered (or the bootstrap admin), and what a client does with it and its
 * tokens: log in, refresh, call as the holder of a token pair.
 */
public record TestUser(String name, String password) {

    /** Every registered test account has it. */
    public static final String PASSWORD = "a long enough password";

    /** A new account with a name of its own and {@link #PASSWORD}. */
    public static TestUser register() {
        String name = "l" + Long.toHexString(System.nanoTime());
        given().contentType(ContentType.JSON)
                .body(Map.of("username", name, "email", name + "@example.org", "password", PASSWORD))
                .post("/api/auth/register").then().statusCode(201);
        return new TestUser(name, PASSWORD);
    }

    /** The bootstrap admin {@link AuthTestResource} configures. */
    public static TestUser admin() {
        return new TestUser(AuthTestResource.ADMIN, AuthTestResource.ADMIN_PASSWORD);
    }

    public String email() {
        return name + "@example.org";
    }

    /** A new session: the login answer ({@code accessToken}, {@code refreshToken}, {@code user}). */
    public JsonPath login() {
        return loginAs(name);
    }

    /** A new session, logging in with what the user typed (the e-mail, another letter case). */
    public JsonPath loginAs(String typed) {
        return given().contentType(ContentType.JSON).body(Map.of("username", typed, "password", password))
                .post("/api/auth/login").then().statusCode(200).extract().jsonPath();
    }

    public static ValidatableResponse refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken)).post("/api/auth/refresh")
                .then();
    }

    public static ValidatableResponse me(String accessToken) {
        return given().header("Authorization", "Bearer " + accessToken).get("/api/auth/me").then();
    }

    /** A JSON request as the holder of a login answer's access token. */
    public static RequestSpecification as(JsonPath session) {
        return given().header("Authorization", "Bearer " + session.getString("accessToken")).contentType(ContentType.JSON);
    }

    /** The payload of a signed token, unverified: the server's own tests read what it wrote. */
    public static JsonPath claims(String jwt) {
        return new JsonPath(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
