package io.talkline.commons.testapp;

import io.quarkus.security.Authenticated;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;

/** A socket that exists only in tests: its upgrade needs a token, as /ws/chat's and /ws/signal's do. */
@WebSocket(path = "/probe/socket")
@Authenticated
public class ProbeSocket {

    @OnTextMessage
    String echo(String text) {
        return text;
    }
}
