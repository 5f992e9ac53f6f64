package io.talkline.chat;

import java.util.List;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.ServiceContractTest;

/** Against the real infrastructure: the operations contract of every service. */
@QuarkusTest
class ReadinessTest extends ServiceContractTest {

    @Override
    protected List<String> readinessChecks() {
        return List.of("Database connections health check",
                "Redis connection health check",
                "Kafka connection health check");
    }
}
