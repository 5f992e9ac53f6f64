package io.talkline.commons.realtime;

import io.talkline.commons.problem.ProblemException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The JSON frames both WebSockets speak (api.md): every frame is an object with a {@code type}; a bad
 * frame gets an {@code error} frame with one of the contract's codes, never a silently dropped socket.
 */
public final class Frames {

    /** Error codes of the public contract, shared by /ws/chat and /ws/signal. */
    public enum ErrorCode {
        bad_request,
        unauthorized,
        not_found,
        forbidden,
        busy,
        too_large,
        rate_limited,
        internal
    }

    /** A frame the client got wrong; the socket stays open. */
    public static final class BadFrame extends RuntimeException {
        private final ErrorCode code;

        public BadFrame(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public ErrorCode code() {
            return code;
        }
    }

    private Frames() {
    }

    /** Parses a text frame into an object with a non-empty string {@code type}, bounded in size. */
    public static JsonObject parse(String text, int maxChars) {
        if (text.length() > maxChars) {
            throw new BadFrame(ErrorCode.too_large, "frame longer than " + maxChars + " characters");
        }
        Object value;
        try {
            value = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new BadFrame(ErrorCode.bad_request, "frame is not a JSON object");
        }
        JsonObject frame = (JsonObject) value;
        if (!(frame.getValue("type") instanceof String type) || type.isBlank()) {
            throw new BadFrame(ErrorCode.bad_request, "frame has no string 'type'");
        }
        return frame;
    }

    /**
     * Whether a socket's failure is Vert.x refusing a message over
     * quarkus.websockets-next.server.max-message-size (it says so only in its message).
     */
    public static boolean tooBig(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof IllegalStateException && message != null && message.contains("max message size")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A text field of a client frame, or null when absent. Vert.x' own getString turns any value
     * into text ({} becomes "{}", 5 becomes "5"): a frame field of the wrong type is refused instead.
     */
    public static String text(JsonObject frame, String field) {
        Object value = frame.getValue(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw ProblemException.badRequest(field, "must be a string");
    }

    public static JsonObject error(ErrorCode code, String message, String ref) {
        JsonObject frame = new JsonObject().put("type", "error").put("code", code.name()).put("message", message);
        return ref == null ? frame : frame.put("ref", ref);
    }

    /** The answer to a frame over the socket's or user's budget (FrameBudget). */
    public static JsonObject rateLimited(String ref) {
        return error(ErrorCode.rate_limited, "too many frames: slow down", ref);
    }

    /** The answer to a binary frame: both sockets speak JSON text frames only. */
    public static JsonObject binaryRefused() {
        return error(ErrorCode.bad_request, "binary frames are not accepted: send JSON text frames", null);
    }

    public static JsonObject pong() {
        return new JsonObject().put("type", "pong");
    }
}
