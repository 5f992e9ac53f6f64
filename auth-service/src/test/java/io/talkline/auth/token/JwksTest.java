package io.talkline.auth.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.auth.AuthTestResource;

@QuarkusTest
class JwksTest {

    @Test
    void publishesTheSigningKeyAndTheRetiredOneWithoutPrivateParts() {
        String currentKid = SigningKeys.load(AuthTestResource.KEYS.resolve("current/auth-signing-key.pem"), true).kid();
        String retiredKid = SigningKeys.load(AuthTestResource.KEYS.resolve("retired/auth-signing-key.pem"), true).kid();
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .header("Cache-Control", equalTo("max-age=300"))
                .body("keys", hasSize(2))
                .body("keys[0].kid", equalTo(currentKid))
                .body("keys[1].kid", equalTo(retiredKid))
                .body("keys.kty", everyItem(equalTo("EC")))
                .body("keys.crv", everyItem(equalTo("P-256")))
                .body("keys.alg", everyItem(equalTo("ES256")))
                .body("keys.use", everyItem(equalTo("sig")))
                .body("keys", everyItem(not(hasKey("d"))));
    }
}
