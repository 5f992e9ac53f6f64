package io.talkline.auth;

import java.util.List;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.ServiceContractTest;
import io.talkline.devstack.DevstackResource;

/** Against the real infrastructure: the operations contract of every service. */
@QuarkusTest
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,redis,kafka"))
@QuarkusTestResource(AuthTestResource.class)
class ReadinessTest extends ServiceContractTest {

    @Override
    protected List<String> readinessChecks() {
        return List.of("Database connections health check",
                "Redis connection health check",
                "Kafka connection health check");
    }
}
