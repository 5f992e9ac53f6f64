package io.talkline.audit;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.ServiceContractTest;

/** Against the real infrastructure: the operations contract of every service. */
@QuarkusTest
class ReadinessTest extends ServiceContractTest {

    @Override
    protected List<String> readinessChecks() {
        return List.of("Redis connection health check",
                "MongoDB connection health check",
                "Kafka connection health check");
    }
}
