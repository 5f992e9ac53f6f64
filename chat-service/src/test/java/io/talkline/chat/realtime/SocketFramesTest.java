package io.talkline.chat.realtime;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.SocketFramesContractTest;

@QuarkusTest
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
