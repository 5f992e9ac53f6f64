package io.talkline.signaling.realtime;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.SocketFramesContractTest;
import io.talkline.devstack.DevstackResource;

@QuarkusTest
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,redis,kafka"))
class SocketFramesTest extends SocketFramesContractTest {

    @Override
    protected String socketPath() {
        return "/ws/signal";
    }
}
