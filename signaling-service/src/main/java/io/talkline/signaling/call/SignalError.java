package io.talkline.signaling.call;

import io.talkline.commons.realtime.Frames;
import io.vertx.core.json.JsonObject;

/** A frame that cannot be carried out: answered with an {@code error} frame, the socket stays open. */
public class SignalError extends RuntimeException {

    private final Frames.ErrorCode code;
    private final String callId;

    public SignalError(Frames.ErrorCode code, String message, String callId) {
        super(message, null, false, false);
        this.code = code;
        this.callId = callId;
    }

    public SignalError(Frames.ErrorCode code, String message) {
        this(code, message, null);
    }

    /** The error frame, {@code ref} naming the frame type it answers, and the call concerned if any. */
    public JsonObject frame(String ref) {
        JsonObject frame = Frames.error(code, getMessage(), ref);
        return callId == null ? frame : frame.put("callId", callId);
    }

    public Frames.ErrorCode code() {
        return code;
    }
}
