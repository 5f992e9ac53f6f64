package io.talkline.signaling.realtime;

import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.talkline.commons.realtime.Frames;
import io.vertx.core.json.JsonObject;

/**
 * /ws/signal. For now it speaks the transport part of the protocol only — ping/pong and error frames —
 * and carries no user data; the authenticated events arrive with the token verifier.
 */
@WebSocket(path = "/ws/signal")
public class SignalSocket {

    static final int MAX_FRAME_CHARS = 64 * 1024;

    @OnTextMessage
    JsonObject onFrame(String text) {
        try {
            JsonObject frame = Frames.parse(text, MAX_FRAME_CHARS);
            return switch (frame.getString("type")) {
                case "ping" -> Frames.pong();
                default -> Frames.error(Frames.ErrorCode.bad_request, "unknown frame type", frame.getString("type"));
            };
        } catch (Frames.BadFrame e) {
            return Frames.error(e.code(), e.getMessage(), null);
        }
    }
}
