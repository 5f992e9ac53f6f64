package io.talkline.signaling;

import java.net.URL;

import io.talkline.commons.testing.FrameClient;
import io.vertx.core.json.JsonObject;

/** /ws/signal for tests: a socket that has been greeted, and the frames a client sends. */
public final class SignalSockets {

    private SignalSockets() {
    }

    /** A socket with the token, once its {@code ready} frame has arrived. */
    public static FrameClient open(URL base, String token) throws Exception {
        FrameClient client = FrameClient.connect(base, "/ws/signal", token);
        client.next("ready");
        return client;
    }

    /** {@code call.invite {roomId, media}}. */
    public static JsonObject invite(String roomId, String media) {
        return new JsonObject().put("type", "call.invite").put("roomId", roomId).put("media", media);
    }

    /** A frame about one call: {@code call.accept}, {@code call.reject}, {@code call.join}, {@code call.leave}. */
    public static JsonObject call(String type, String callId) {
        return new JsonObject().put("type", type).put("callId", callId);
    }

    /** {@code signal.offer {callId, to, sdp}}. */
    public static JsonObject offer(String callId, String to, String sdp) {
        return new JsonObject().put("type", "signal.offer").put("callId", callId).put("to", to).put("sdp", sdp);
    }
}
