package io.talkline.auth.session;

import static io.restassured.RestAssured.given;
import static io.talkline.auth.TestUser.PASSWORD;
import static io.talkline.auth.TestUser.refresh;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.transaction.Transactional;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.talkline.auth.TestUser;
import io.talkline.auth.account.User;
import io.talkline.commons.testing.Metrics;

@QuarkusTest
class LoginAndRefreshTest {

    @Test
    void loginByUsernameOrEmailGivesAVerifiableAccessToken() throws Exception {
        TestUser user = TestUser.register();
        String name = user.name();
        JsonPath pair = user.login();
        assertEquals("Bearer", pair.getString("tokenType"));
        assertEquals(900, pair.getInt("expiresIn"));
        assertEquals(name, pair.getString("user.username"));
        user.loginAs(user.email().toUpperCase()); // e-mail, any case

        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setJwsAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setExpectedIssuer("talkline").setExpectedAudience("talkline").setRequireExpirationTime()
                .build().processToClaims(pair.getString("accessToken"));
        assertEquals(pair.getString("user.id"), claims.getSubject());
        assertEquals(name, claims.getStringClaimValue("upn"));
        assertEquals(List.of("user"), claims.getStringListClaimValue("groups"));
        assertEquals(900, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        org.junit.jupiter.api.Assertions.assertNotNull(claims.getJwtId());
        org.junit.jupiter.api.Assertions.assertNotNull(claims.getStringClaimValue("sid"));
        String kid = JsonWebStructure.fromCompactSerialization(pair.getString("accessToken")).getKeyIdHeaderValue();
        assertEquals(new JsonWebKeySet(jwks).getJsonWebKeys().getFirst().getKeyId(), kid);
    }

    @Test
    void unknownAccountAndWrongPasswordAreTheSame401() {
        String name = TestUser.register().name();
        double failedBefore = Metrics.value("talkline_auth_logins_failed_total");
        JsonPath unknown = given().contentType(ContentType.JSON)
                .body(Map.of("username", "nobody-" + name, "password", PASSWORD))
                .post("/api/auth/login").then().statusCode(401).contentType("application/problem+json").extract().jsonPath();
        JsonPath wrong = given().contentType(ContentType.JSON).body(Map.of("username", name, "password", PASSWORD + "!"))
                .post("/api/auth/login").then().statusCode(401).contentType("application/problem+json").extract().jsonPath();
        assertEquals(unknown.getString("title"), wrong.getString("title"));
        assertEquals(unknown.getString("detail"), wrong.getString("detail"));
        assertEquals(failedBefore + 2, Metrics.value("talkline_auth_logins_failed_total"), "both counted as failed logins");
    }

    @Test
    void loginNamesTheMissingField() {
        given().contentType(ContentType.JSON).body(Map.of("password", PASSWORD)).post("/api/auth/login")
                .then().statusCode(400).body("errors.field", hasItem("username"));
        given().contentType(ContentType.JSON).body(Map.of()).post("/api/auth/refresh")
                .then().statusCode(400).body("errors.field", hasItem("refreshToken"));
    }

    @Test
    void refreshRotatesAndASpentTokenRevokesItsWholeSessionOnly() {
        TestUser user = TestUser.register();
        JsonPath first = user.login();
        JsonPath other = user.login(); // a second device: its own session

        JsonPath rotated = refresh(first.getString("refreshToken")).statusCode(200).extract().jsonPath();
        assertNotEquals(first.getString("refreshToken"), rotated.getString("refreshToken"));
        assertNotEquals(first.getString("accessToken"), rotated.getString("accessToken"));

        // the spent token comes back (stolen?): refused, and the family dies with it
        refresh(first.getString("refreshToken")).statusCode(401).contentType("application/problem+json");
        refresh(rotated.getString("refreshToken")).statusCode(401);

        // the other session is untouched
        refresh(other.getString("refreshToken")).statusCode(200).body("user.username", equalTo(user.name()));
    }

    @Test
    void aDisabledAccountCannotLogInNorRefresh() {
        TestUser user = TestUser.register();
        JsonPath pair = user.login();
        disable(user.name());
        given().contentType(ContentType.JSON).body(Map.of("username", user.name(), "password", PASSWORD))
                .post("/api/auth/login").then().statusCode(403).contentType("application/problem+json");
        refresh(pair.getString("refreshToken")).statusCode(401);
    }

    @Test
    void twoRefreshesOfOneTokenAtOnceYieldOneNewPairAtMost() throws Exception {
        String token = TestUser.register().login().getString("refreshToken");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> refresh(token).extract().statusCode());
            var b = pool.submit(() -> refresh(token).extract().statusCode());
            List<Integer> statuses = new java.util.ArrayList<>(List.of(a.get(), b.get()));
            java.util.Collections.sort(statuses);
            assertEquals(List.of(200, 401), statuses);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void garbageRefreshTokensAreRefused() {
        refresh("not-a-token-we-issued").statusCode(401).contentType("application/problem+json");
    }

    @Transactional
    void disable(String username) {
        User.update("disabledAt = ?1 where usernameKey = ?2", Instant.now(), username.toLowerCase());
    }
}
