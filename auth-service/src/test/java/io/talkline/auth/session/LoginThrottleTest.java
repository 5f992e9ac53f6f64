package io.talkline.auth.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.talkline.auth.AuthTestResource;
import io.talkline.auth.TestUser;

/** 5 free failures per account name, 20 per address (the peer is trusted, so X-Forwarded-For names the client). */
@QuarkusTest
class LoginThrottleTest {

    static ValidatableResponse attempt(String address, String username, String password) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password)).post("/api/auth/login").then();
    }

    @Test
    void anAccountIsLockedOutAfterFailuresThenFreedByTime() {
        String name = TestUser.register().name();
        for (int i = 0; i < 5; i++) {
            // from a new address each time: the account name alone is counted here
            attempt(AuthTestResource.randomAddress(), name, "wrong password " + i).statusCode(401);
        }
        attempt(AuthTestResource.randomAddress(), name, TestUser.PASSWORD).statusCode(429)
                .contentType("application/problem+json").header("Retry-After", notNullValue());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> attempt(AuthTestResource.randomAddress(), name, TestUser.PASSWORD).statusCode(200));
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
        attempt(address, TestUser.register().name(), TestUser.PASSWORD).statusCode(429).header("Retry-After", notNullValue());
        attempt(AuthTestResource.randomAddress(), TestUser.register().name(), TestUser.PASSWORD).statusCode(200);
    }

    @Test
    void aParallelBurstGetsNoMoreTriesThanASequence() throws Exception {
        String name = TestUser.register().name();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String password = "wrong password " + i;
                answers.add(
                        pool.submit(() -> attempt(AuthTestResource.randomAddress(), name, password).extract().statusCode()));
            }
            int checked = 0;
            for (java.util.concurrent.Future<Integer> answer : answers) {
                int status = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
                org.junit.jupiter.api.Assertions.assertTrue(status == 401 || status == 429, "status " + status);
                checked += status == 401 ? 1 : 0;
            }
            // the check and the count were separate: a burst had every one of its 40 passwords checked
            org.junit.jupiter.api.Assertions.assertTrue(checked <= 5, checked + " passwords checked");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void usernameAndEmailAreOneAccount() {
        String name = TestUser.register().name();
        for (int i = 0; i < 3; i++) {
            attempt(AuthTestResource.randomAddress(), name, "wrong password " + i).statusCode(401);
        }
        for (int i = 0; i < 2; i++) {
            attempt(AuthTestResource.randomAddress(), name + "@example.org", "wrong password " + i).statusCode(401);
        }
        attempt(AuthTestResource.randomAddress(), name.toUpperCase(), TestUser.PASSWORD).statusCode(429);
        attempt(AuthTestResource.randomAddress(), name + "@example.org", TestUser.PASSWORD).statusCode(429);
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() {
        String prefix = String.format("2001:db8:%x:%x:", java.util.concurrent.ThreadLocalRandom.current().nextInt(0xffff),
                java.util.concurrent.ThreadLocalRandom.current().nextInt(0xffff));
        for (int i = 0; i < 20; i++) {
            // a new address of the same /64 each time, and a new account name
            attempt(prefix + Integer.toHexString(i + 1) + "::" + Integer.toHexString(i + 7), "spray-" + System.nanoTime(),
                    "password spraying").statusCode(401);
        }
        attempt(prefix + "abcd::1", TestUser.register().name(), TestUser.PASSWORD).statusCode(429);
        attempt("2001:db8:ffff:" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0xffff))
                + "::1", TestUser.register().name(), TestUser.PASSWORD).statusCode(200);
    }

    @Test
    void registrationsArePerAddressBeforeAnyHashing() {
        String address = AuthTestResource.randomAddress();
        for (int i = 0; i < 20; i++) {
            String name = "r" + Long.toHexString(System.nanoTime());
            io.restassured.RestAssured.given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                    .body(Map.of("username", name, "email", name + "@example.org", "password", "a long enough password"))
                    .post("/api/auth/register").then().statusCode(201);
        }
        String name = "r" + Long.toHexString(System.nanoTime());
        io.restassured.RestAssured.given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("username", name, "email", name + "@example.org", "password", "a long enough password"))
                .post("/api/auth/register").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue());
        // another address registers as usual
        io.restassured.RestAssured.given().header("X-Forwarded-For", AuthTestResource.randomAddress())
                .contentType(ContentType.JSON)
                .body(Map.of("username", name, "email", name + "@example.org", "password", "a long enough password"))
                .post("/api/auth/register").then().statusCode(201);
    }
}
