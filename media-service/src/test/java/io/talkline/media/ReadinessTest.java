package io.talkline.media;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.devstack.DevstackResource;

/** Against the real infrastructure: ready only when each store and broker it depends on answers. */
@QuarkusTest
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,kafka,s3"))
class ReadinessTest {

    @Test
    void readyWithEveryDependencyChecked() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.status", everyItem(equalTo("UP")))
                .body("checks.name", hasItem("Database connections health check"))
                .body("checks.name", hasItem("Kafka connection health check"))
                .body("checks.name", hasItem("object storage"));
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
        given().header("X-Request-Id", "media-service-probe").get("/api/definitely-not-here")
                .then().statusCode(404).contentType("application/problem+json")
                .body("requestId", equalTo("media-service-probe"));
    }
}
