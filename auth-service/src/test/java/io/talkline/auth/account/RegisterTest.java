package io.talkline.auth.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.talkline.auth.AuthTestResource;

@QuarkusTest
class RegisterTest {

    @Inject
    AccountService accounts;

    static String unique() {
        return "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static Map<String, Object> body(String username, String email, String password) {
        return Map.of("username", username, "email", email, "password", password);
    }

    @Test
    void registersAUserWithTheUserRole() {
        String name = unique();
        given().contentType(ContentType.JSON).body(body(name, name + "@example.org", "correct horse battery"))
                .post("/api/auth/register")
                .then().statusCode(201)
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .body("username", equalTo(name))
                .body("email", equalTo(name + "@example.org"))
                .body("displayName", equalTo(name))
                .body("roles", contains("user"))
                .body("createdAt", notNullValue())
                .body("passwordHash", equalTo(null));
    }

    @Test
    void usernameAndEmailAreUniqueWhateverTheirCase() {
        String name = unique();
        given().contentType(ContentType.JSON).body(body(name, name + "@Example.org", "correct horse battery"))
                .post("/api/auth/register").then().statusCode(201);
        given().contentType(ContentType.JSON).body(body(name.toUpperCase(), unique() + "@example.org", "correct horse battery"))
                .post("/api/auth/register").then().statusCode(409).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(body(unique(), name.toUpperCase() + "@EXAMPLE.ORG", "correct horse battery"))
                .post("/api/auth/register").then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void eachRuleNamesItsField() {
        String ok = unique();
        assertField(body("ab", ok + "@example.org", "long enough pw"), "username");
        assertField(body("has space", ok + "@example.org", "long enough pw"), "username");
        assertField(body("x".repeat(33), ok + "@example.org", "long enough pw"), "username");
        assertField(body(ok, "not-an-email", "long enough pw"), "email");
        assertField(body(ok, ok + "@example.org", "short"), "password");
        assertField(body(ok, ok + "@example.org", "p".repeat(129)), "password");
        assertField(Map.of("username", ok, "email", ok + "@example.org"), "password");
    }

    private static void assertField(Map<String, Object> body, String field) {
        given().contentType(ContentType.JSON).body(body).post("/api/auth/register")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(field));
    }

    @Test
    void everyCharacterOfALongUnicodePasswordCounts() {
        // 128 characters, far more than bcrypt's 72 bytes in UTF-8
        String password = "🔐".repeat(60) + "ääää1234";
        String name = unique();
        given().contentType(ContentType.JSON).body(body(name, name + "@example.org", password))
                .post("/api/auth/register").then().statusCode(201);
        // the last character sits past byte 250 in UTF-8: a hash that read only a prefix would accept this
        String lastChanged = password.substring(0, password.length() - 1) + "5";
        given().contentType(ContentType.JSON).body(Map.of("username", name, "password", lastChanged))
                .post("/api/auth/login").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("username", name, "password", password))
                .post("/api/auth/login").then().statusCode(200);
    }

    @jakarta.transaction.Transactional
    long admins() {
        return User.count("select count(u) from User u join u.roles r where r = ?1", Role.admin);
    }

    @Test
    void theBootstrapAdminExistsOnceWithTheAdminRole() {
        User admin = accounts.byLogin(AuthTestResource.ADMIN).orElseThrow();
        assertTrue(admin.roles.contains(Role.admin));
        accounts.bootstrapAdmin(null); // a restart: an admin exists, nothing is created
        org.junit.jupiter.api.Assertions.assertEquals(1L, admins());
        given().contentType(ContentType.JSON).body(body(AuthTestResource.ADMIN, unique() + "@example.org", "whatever long"))
                .post("/api/auth/register").then().statusCode(409);
    }
}
