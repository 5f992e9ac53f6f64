package io.talkline.signaling.realtime;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.SocketFramesContractTest;
import io.talkline.commons.testing.TestTokens;

@QuarkusTest
class SocketFramesTest extends SocketFramesContractTest {

    @Override
    protected String socketPath() {
        return "/ws/signal";
    }

    @Override
    protected String accessToken() {
        return TestTokens.token(java.util.UUID.randomUUID().toString());
    }

    @Override
    protected String greeting() {
        return "ready";
    }
}
