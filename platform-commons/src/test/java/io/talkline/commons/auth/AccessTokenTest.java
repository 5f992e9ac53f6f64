package io.talkline.commons.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.TestTokens;

/**
 * Access tokens are checked by smallrye-jwt with its mp.jwt.* settings, and the caller is its
 * JsonWebToken (ADR 0029): injectable as MP-JWT code expects, yet named by the user id.
 */
@QuarkusTest
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = true)
class AccessTokenTest {

    @Test
    void theCallerIsSmallryeJwtsJsonWebTokenNamedByTheUserId() {
        given().auth().oauth2(TestTokens.token("u-42", "moderator")).get("/probe/token").then().statusCode(200)
                .body("name", equalTo("u-42")).body("subject", equalTo("u-42")).body("upn", equalTo("user-u-42"))
                .body("groups", contains("moderator")).body("principal", equalTo("AccessToken"));
        given().auth().oauth2(TestTokens.token("u-42")).get("/probe/me").then().statusCode(200).body(equalTo("u-42"));
    }

    @Test
    void smallryeJwtsSettingsDecideWhichClaimsPass() {
        long now = System.currentTimeMillis() / 1000;
        // smallrye.jwt.required.claims: a token without jti is refused
        refused(TestTokens.tokenWith("u-1", claims -> claims.unsetClaim("jti")));
        // mp.jwt.verify.audiences and mp.jwt.verify.issuer
        refused(TestTokens.tokenWith("u-1", claims -> claims.setAudience("someone-else")));
        refused(TestTokens.tokenWith("u-1", claims -> claims.setIssuer("https://evil.example")));
        // mp.jwt.verify.clock.skew (30 s): expired 10 s ago still passes, 45 s ago does not
        given().auth().oauth2(TestTokens.tokenWith("u-1", claims -> {
            claims.setIssuedAt(NumericDate.fromSeconds(now - 600));
            claims.setExpirationTime(NumericDate.fromSeconds(now - 10));
        })).get("/probe/me").then().statusCode(200).body(equalTo("u-1"));
        refused(TestTokens.tokenWith("u-1", claims -> {
            claims.setIssuedAt(NumericDate.fromSeconds(now - 600));
            claims.setExpirationTime(NumericDate.fromSeconds(now - 45));
        }));
        // and the control: the same construction without a change passes
        given().auth().oauth2(TestTokens.tokenWith("u-1", claims -> {
        })).get("/probe/me").then().statusCode(200);
    }

    private static void refused(String token) {
        given().auth().oauth2(token).get("/probe/me").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
    }
}
