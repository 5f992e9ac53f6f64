package io.talkline.auth.session;

import static io.restassured.RestAssured.given;
import static io.talkline.auth.session.LoginAndRefreshTest.register;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.talkline.auth.AuthTestResource;
import io.talkline.devstack.DevstackResource;

/** 5 free failures per account name, 20 per address (the peer is trusted, so X-Forwarded-For names the client). */
@QuarkusTest
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,redis,kafka"))
@QuarkusTestResource(AuthTestResource.class)
class LoginThrottleTest {

    static ValidatableResponse attempt(String address, String username, String password) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password)).post("/api/auth/login").then();
    }

    @Test
    void anAccountIsLockedOutAfterFailuresThenFreedByTime() {
        String name = register();
        for (int i = 0; i < 5; i++) {
            // from a new address each time: the account name alone is counted here
            attempt(AuthTestResource.randomAddress(), name, "wrong password " + i).statusCode(401);
        }
        attempt(AuthTestResource.randomAddress(), name, "a long enough password").statusCode(429)
                .contentType("application/problem+json").header("Retry-After", notNullValue());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> attempt(AuthTestResource.randomAddress(), name, "a long enough password").statusCode(200));
    }

    @Test
    void anUnknownAccountIsThrottledTheSameWay() {
        String nobody = "nobody-" + System.nanoTime();
        for (int i = 0; i < 5; i++) {
            attempt(AuthTestResource.randomAddress(), nobody, "whatever password").statusCode(401);
        }
        attempt(AuthTestResource.randomAddress(), nobody, "whatever password").statusCode(429);
    }

    @Test
    void anAddressTryingManyAccountsIsLockedOut() {
        String address = AuthTestResource.randomAddress();
        for (int i = 0; i < 20; i++) {
            attempt(address, "spray-" + System.nanoTime(), "password spraying").statusCode(401);
        }
        attempt(address, register(), "a long enough password").statusCode(429).header("Retry-After", notNullValue());
        attempt(AuthTestResource.randomAddress(), register(), "a long enough password").statusCode(200);
    }
}
