package io.talkline.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.talkline.gateway.routing.FakeUpstreams;

/**
 * The gateway module's one declaration of test resources. Quarkus applies a
 * {@code @QuarkusTestResource} to every {@code @QuarkusTest} of the module whichever class carries
 * it (test profiles included), so it is declared here once and on no test class.
 */
@QuarkusTestResource(FakeUpstreams.class)
public final class TestResources {

    private TestResources() {
    }
}
