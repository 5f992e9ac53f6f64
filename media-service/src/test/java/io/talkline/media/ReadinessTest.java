package io.talkline.media;

import java.util.List;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.ServiceContractTest;
import io.talkline.devstack.DevstackResource;

/** Against the real infrastructure: the operations contract of every service. */
@QuarkusTest
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,redis,kafka,s3"))
class ReadinessTest extends ServiceContractTest {

    @Override
    protected List<String> readinessChecks() {
        return List.of("Redis connection health check",
                "Database connections health check",
                "Kafka connection health check",
                "object storage");
    }
}
