package io.talkline.chat.realtime;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.SocketFramesContractTest;
import io.talkline.devstack.DevstackResource;

@QuarkusTest
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,redis,kafka"))
@QuarkusTestResource(io.talkline.chat.ChatTestResource.class)
@QuarkusTestResource(io.talkline.commons.testing.TestTokens.class)
class SocketFramesTest extends SocketFramesContractTest {

    @Override
    protected String socketPath() {
        return "/ws/chat";
    }

    @Override
    protected String accessToken() {
        return io.talkline.commons.testing.TestTokens.token(java.util.UUID.randomUUID().toString());
    }

    @Override
    protected String greeting() {
        return "ready";
    }
}
