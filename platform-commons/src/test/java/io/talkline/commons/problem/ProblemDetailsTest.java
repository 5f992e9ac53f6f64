package io.talkline.commons.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every error path ends in RFC 9457 problem+json with the request id, never a stack trace. */
@QuarkusTest
class ProblemDetailsTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void unknownRouteIsProblem404() {
        given().header("X-Request-Id", "rid-404").get("/no/such/route")
                .then().statusCode(404).contentType(PROBLEM)
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("type", equalTo("about:blank"))
                .body("instance", equalTo("/no/such/route"))
                .body("requestId", equalTo("rid-404"));
    }

    @Test
    void wrongMethodIsProblem405() {
        given().delete("/probe/taken")
                .then().statusCode(405).contentType(PROBLEM)
                .body("status", equalTo(405))
                .body("detail", containsString("not allowed"));
    }

    @Test
    void validationListsEveryFieldAtFault() {
        given().contentType(ContentType.JSON)
                .body("{\"username\":\"ab\",\"email\":\"not-an-email\",\"age\":200,\"tags\":[{\"name\":\"\"}]}")
                .post("/probe/accounts")
                .then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo(Problem.VALIDATION))
                .body("errors.field", hasItems("username", "email", "age", "tags[0].name"))
                .body("errors.message", hasItem(containsString("between 3 and 32")))
                .body("requestId", notNullValue());
    }

    @Test
    void missingBodyIsAValidationProblem() {
        given().contentType(ContentType.JSON).post("/probe/accounts")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("body"));
    }

    @Test
    void invalidQueryParameterNamesIt() {
        given().queryParam("q", "x").get("/probe/wire-names")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("q"));
    }

    @Test
    void malformedJsonIsProblem400() {
        given().contentType(ContentType.JSON).body("{\"username\": ").post("/probe/accounts")
                .then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400))
                .body("detail", containsString("not valid JSON"));
    }

    @Test
    void aFieldNamedTwiceIsProblem400() {
        // found by the fuzzer: a record body with a repeated field was a bare 500
        given().contentType(ContentType.JSON)
                .body("{\"username\":\"alice\",\"username\":\"mallory\",\"email\":\"a@example.org\",\"age\":30}")
                .post("/probe/accounts")
                .then().statusCode(400).contentType(PROBLEM).body("status", equalTo(400));
    }

    @Test
    void wrongTypeNamesTheField() {
        given().contentType(ContentType.JSON)
                .body("{\"username\":\"alice\",\"email\":\"a@example.org\",\"age\":\"old\"}")
                .post("/probe/accounts")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("age"));
    }

    @Test
    void wrongContentTypeIsProblem415() {
        given().contentType(ContentType.TEXT).body("hello").post("/probe/accounts")
                .then().statusCode(415).contentType(PROBLEM)
                .body("status", equalTo(415));
    }

    @Test
    void problemExceptionKeepsItsStatusAndDetail() {
        given().get("/probe/taken")
                .then().statusCode(409).contentType(PROBLEM)
                .body("title", equalTo("Conflict"))
                .body("detail", equalTo("That name is taken"));
    }

    @Test
    void unexpectedErrorIs500WithoutInternals() {
        given().header("X-Request-Id", "rid-500").get("/probe/boom")
                .then().statusCode(500).contentType(PROBLEM)
                .body("requestId", equalTo("rid-500"))
                .body(not(containsString("internal secret detail")))
                .body(not(containsString("IllegalStateException")))
                .body(not(containsString("at io.")));
    }

    @Test
    void aDatabaseThatIsAwayOrOutOfConnectionsIs503WithRetryAfterNot500() {
        for (String path : List.of("/probe/pool-exhausted", "/probe/database-away")) {
            given().get(path).then().statusCode(503).contentType(PROBLEM).header("Retry-After", "1")
                    .body("status", equalTo(503))
                    .body(not(containsString("acquisition")))
                    .body(not(containsString("Communications link")));
        }
    }

    @Test
    void validBodyStillPasses() {
        given().contentType(ContentType.JSON)
                .body("{\"username\":\"alice\",\"email\":\"a@example.org\",\"age\":30}")
                .post("/probe/accounts")
                .then().statusCode(201).body("username", equalTo("alice"));
    }
}
