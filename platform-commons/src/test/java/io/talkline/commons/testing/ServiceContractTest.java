package io.talkline.commons.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * What every service promises operations (api.md, Operations): ready only when each store and
 * broker it depends on answers, liveness, Prometheus metrics, OpenAPI with the BearerAuth scheme,
 * and problem+json with the request id for a path it does not have. A service's test extends this
 * with {@code @QuarkusTest} and the devstack components it needs.
 */
public abstract class ServiceContractTest {

    /** The names of the readiness checks this service must run. */
    protected abstract List<String> readinessChecks();

    @Test
    void readyWithEveryDependencyChecked() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.status", everyItem(equalTo("UP")))
                .body("checks.name", hasItems(readinessChecks().toArray(String[]::new)));
    }

    @Test
    void livenessMetricsAndOpenApiAreServed() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("components.securitySchemes.BearerAuth.scheme", equalTo("bearer"));
    }

    /** Every operation has a tag and lists its error answers, each a problem+json document. */
    @Test
    @SuppressWarnings("unchecked")
    void everyOperationHasATagAndItsErrorAnswersAsProblemJson() {
        io.restassured.path.json.JsonPath doc = given().get("/q/openapi?format=json").then().statusCode(200).extract()
                .jsonPath();
        org.junit.jupiter.api.Assertions.assertNotNull(doc.get("components.schemas.Problem.properties.requestId"));
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        int operations = 0;
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            for (Map.Entry<String, Object> entry : path.getValue().entrySet()) {
                if (!List.of("get", "put", "post", "delete", "patch", "head", "options").contains(entry.getKey())) {
                    continue;
                }
                operations++;
                String where = entry.getKey().toUpperCase() + " " + path.getKey();
                Map<String, Object> operation = (Map<String, Object>) entry.getValue();
                org.junit.jupiter.api.Assertions.assertFalse(
                        ((List<String>) operation.getOrDefault("tags", List.of())).isEmpty(),
                        where + " has no tag");
                Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) operation.get("responses");
                List<String> errors = responses.keySet().stream().filter(code -> code.startsWith("4") || code.startsWith("5"))
                        .toList();
                org.junit.jupiter.api.Assertions.assertTrue(errors.stream().anyMatch(code -> code.startsWith("4")),
                        where + " lists no 4xx answer");
                for (String code : errors) {
                    Map<String, Object> content = (Map<String, Object>) responses.get(code).get("content");
                    Map<String, Object> problem = content == null ? null
                            : (Map<String, Object>) content.get("application/problem+json");
                    org.junit.jupiter.api.Assertions.assertNotNull(problem, where + " " + code + " is not problem+json");
                    org.junit.jupiter.api.Assertions.assertEquals("#/components/schemas/Problem",
                            ((Map<String, Object>) problem.get("schema")).get("$ref"), where + " " + code);
                    org.junit.jupiter.api.Assertions.assertNotNull(problem.get("example"),
                            where + " " + code + " has no example");
                }
                if (operation.get("security") != null) {
                    org.junit.jupiter.api.Assertions.assertTrue(errors.contains("401"), where + " is secured but lists no 401");
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(operations > 0, "no operation in the document");
    }

    @Test
    void unknownPathIsProblemJsonWithRequestId() {
        given().header("X-Request-Id", "contract-probe").get("/api/definitely-not-here")
                .then().statusCode(404).contentType("application/problem+json")
                .body("requestId", equalTo("contract-probe"));
    }
}
