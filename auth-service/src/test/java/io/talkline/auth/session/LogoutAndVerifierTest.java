package io.talkline.auth.session;

import static io.restassured.RestAssured.given;
import static io.talkline.auth.TestUser.me;
import static io.talkline.auth.TestUser.refresh;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.talkline.auth.AuthTestResource;
import io.talkline.auth.TestUser;
import io.talkline.auth.token.SigningKeys;

/** Instant revocation and the common verifier's refusals, against real Redis and the real JWKS. */
@QuarkusTest
class LogoutAndVerifierTest {

    @Test
    void meNeedsAValidToken() {
        TestUser user = TestUser.register();
        me(user.login().getString("accessToken")).statusCode(200).body("username", equalTo(user.name()));
        given().get("/api/auth/me").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
    }

    @Test
    void logoutEndsThisTokenAndSessionAtOnceButNotOthers() {
        TestUser user = TestUser.register();
        JsonPath first = user.login();
        JsonPath second = user.login();
        given().header("Authorization", "Bearer " + first.getString("accessToken")).post("/api/auth/logout")
                .then().statusCode(204);
        me(first.getString("accessToken")).statusCode(401);
        refresh(first.getString("refreshToken")).statusCode(401);
        me(second.getString("accessToken")).statusCode(200);
        refresh(second.getString("refreshToken")).statusCode(200);
    }

    @Test
    void logoutAllEndsEverySessionAndANewLoginWorks() {
        TestUser user = TestUser.register();
        JsonPath first = user.login();
        JsonPath second = user.login();
        given().header("Authorization", "Bearer " + second.getString("accessToken")).post("/api/auth/logout-all")
                .then().statusCode(204);
        me(first.getString("accessToken")).statusCode(401);
        me(second.getString("accessToken")).statusCode(401);
        refresh(first.getString("refreshToken")).statusCode(401);
        refresh(second.getString("refreshToken")).statusCode(401);
        // tokens have whole-second iat: a login in the next second is good again
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> me(user.login().getString("accessToken")).statusCode(200));
    }

    @Test
    void refreshReuseAlsoKillsTheFamilysAccessTokens() {
        JsonPath first = TestUser.register().login();
        JsonPath rotated = refresh(first.getString("refreshToken")).statusCode(200).extract().jsonPath();
        me(rotated.getString("accessToken")).statusCode(200);
        refresh(first.getString("refreshToken")).statusCode(401); // reuse
        me(rotated.getString("accessToken")).statusCode(401);
    }

    @Test
    void forgedExpiredAndMisaddressedTokensAreRefused() throws Exception {
        JsonPath pair = TestUser.register().login();
        String good = pair.getString("accessToken");
        String userId = pair.getString("user.id");
        SigningKeys.Key key = SigningKeys.load(AuthTestResource.KEYS.resolve("current/auth-signing-key.pem"), true);
        String[] parts = good.split("\\.");

        // alg "none", no signature
        String none = b64("{\"alg\":\"none\",\"kid\":\"" + key.kid() + "\"}") + "." + parts[1] + ".";
        me(none).statusCode(401);
        // HS256 keyed with the public key (key confusion)
        String hs = Jwt.claims(claims(userId)).jws().keyId(key.kid()).algorithm(SignatureAlgorithm.HS256)
                .signWithSecret(Base64.getEncoder().encodeToString(key.publicKey().getEncoded()));
        me(hs).statusCode(401);
        // a payload changed after signing
        String tampered = parts[0] + "." + b64(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"user\"", "\"admin\"")) + "." + parts[2];
        me(tampered).statusCode(401);
        // validly signed, but expired / not for us / from someone else / unknown key
        me(sign(key, Jwt.claims(claims(userId)).expiresAt(Instant.now().minusSeconds(120))
                .issuedAt(Instant.now().minusSeconds(1000)))).statusCode(401);
        me(sign(key, Jwt.claims(claims(userId)).audience("someone-else"))).statusCode(401);
        me(sign(key, Jwt.claims(claims(userId)).issuer("https://evil.example"))).statusCode(401);
        me(sign(key, Jwt.claims(claims(userId)).issuedAt(Instant.now().plusSeconds(3600)))).statusCode(401);
        String unknownKid = Jwt.claims(claims(userId)).jws().keyId("no-such-kid").algorithm(SignatureAlgorithm.ES256)
                .sign(key.privateKey());
        me(unknownKid).statusCode(401);
        // a jku header pointing elsewhere is ignored: the signature is still checked with our JWKS
        String jku = Jwt.claims(claims(userId)).jws().keyId(key.kid()).header("jku", "https://evil.example/jwks.json")
                .algorithm(SignatureAlgorithm.ES256).sign(key.privateKey());
        me(jku).statusCode(200);
        // and the control: the same construction without a flaw is accepted
        me(sign(key, Jwt.claims(claims(userId)))).statusCode(200);
    }

    private static java.util.Map<String, Object> claims(String userId) {
        long now = Instant.now().getEpochSecond();
        return java.util.Map.of("iss", "talkline", "aud", "talkline", "sub", userId, "upn", "x",
                "groups", java.util.List.of("user"), "jti", java.util.UUID.randomUUID().toString(), "iat", now, "exp",
                now + 600);
    }

    private static String sign(SigningKeys.Key key, io.smallrye.jwt.build.JwtClaimsBuilder claims) {
        return claims.jws().keyId(key.kid()).algorithm(SignatureAlgorithm.ES256).sign(key.privateKey());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
