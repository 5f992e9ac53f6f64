package io.talkline.commons.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;

import java.util.List;

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

    @Test
    void unknownPathIsProblemJsonWithRequestId() {
        given().header("X-Request-Id", "contract-probe").get("/api/definitely-not-here")
                .then().statusCode(404).contentType("application/problem+json")
                .body("requestId", equalTo("contract-probe"));
    }
}
