package io.talkline.system.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Frames for /ws/chat and /ws/signal: every client frame type of api.md, well-formed and broken. */
final class FrameCases {

    /** What the socket must answer to a case (besides never an internal error, never a drop). */
    enum Expect {
        /** An error frame with a contract code. */
        ERROR,
        /** An error frame too_large, or a close with 1009. */
        TOO_LARGE,
        /** Its pings answered with pongs. */
        PONG,
        /** Either a pong or an error frame. */
        REPLY,
        /** Nothing in particular (a valid frame, or one the server may ignore). */
        ANY
    }

    /** One piece of what is sent: a text or binary WebSocket frame, maybe a fragment. */
    record Part(String text, ByteBuffer binary, boolean last) {
    }

    record FrameCase(String label, List<Part> parts, Expect expect, int pings) {

        String summary() {
            StringBuilder out = new StringBuilder();
            for (Part part : parts) {
                out.append(part.text() != null ? "text " + part.text().length() + " chars: " + Report.clip(part.text(), 160)
                        : "binary " + part.binary().remaining() + " B").append(part.last() ? "" : " (fragment)").append("; ");
            }
            return out.toString();
        }
    }

    /** A client frame type, a valid frame of it, and its required fields. */
    private record Spec(String type, Map<String, Object> valid, List<String> required) {
    }

    private final String socket;
    private final List<Spec> specs;

    private FrameCases(String socket, List<Spec> specs) {
        this.socket = socket;
        this.specs = specs;
    }

    static FrameCases chat(Fixtures world) {
        return new FrameCases("ws/chat", List.of(
                new Spec("typing", Map.of("roomId", world.groupRoom, "typing", true), List.of("roomId")),
                new Spec("receipt", Map.of("roomId", world.groupRoom, "kind", "seen", "upToSeq", 1),
                        List.of("roomId", "upToSeq")),
                new Spec("resync", Map.of("rooms", List.of(Map.of("roomId", world.directRoom, "afterSeq", 0))),
                        List.of("rooms")),
                new Spec("send", Map.of("roomId", world.directRoom, "clientMsgId", "fz", "body", "over the socket"),
                        List.of("roomId", "clientMsgId")),
                new Spec("ping", Map.of(), List.of())));
    }

    static FrameCases signal(Fixtures world) {
        Map<String, Object> candidate = Map.of("candidate", "candidate:1 1 UDP 1 127.0.0.1 9 typ host", "sdpMid", "0",
                "sdpMLineIndex", 0);
        List<Spec> specs = new ArrayList<>(List.of(
                new Spec("call.invite", Map.of("roomId", world.groupRoom, "media", "audio"), List.of("roomId", "media")),
                new Spec("signal.offer", Map.of("callId", "fzcall", "to", world.bob.id(), "sdp", "v=0"),
                        List.of("callId", "to", "sdp")),
                new Spec("signal.answer", Map.of("callId", "fzcall", "to", world.bob.id(), "sdp", "v=0"),
                        List.of("callId", "to", "sdp")),
                new Spec("signal.ice", Map.of("callId", "fzcall", "to", world.bob.id(), "candidate", candidate),
                        List.of("callId", "to", "candidate")),
                new Spec("call.media", Map.of("callId", "fzcall", "audio", true, "video", false), List.of("callId")),
                new Spec("ping", Map.of(), List.of())));
        for (String type : List.of("call.accept", "call.reject", "call.join", "call.leave")) {
            specs.add(new Spec(type, Map.of("callId", "fzcall"), List.of("callId")));
        }
        return new FrameCases("ws/signal", specs);
    }

    String socket() {
        return socket;
    }

    FrameCase next(SplittableRandom random) {
        Spec spec = Hostile.pick(random, specs);
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", spec.type());
        frame.putAll(spec.valid());
        int kind = random.nextInt(100);
        if (kind < 8) {
            return text("not JSON",
                    Hostile.pick(random, List.of("", " ", "hello", "{", "{\"type\":", "\u0085", "{'type':'ping'}",
                            "<ping/>", "\u0000", "{\"type\":\"ping\"}x", "{\"type\":\"ping\"}{\"type\":\"ping\"}",
                            "\ud83d\ude00",
                            "{\"type\":\"ping\",}", "{\"type\":\"ping\"")),
                    Expect.ERROR);
        } else if (kind < 14) {
            return text("not an object", Hostile.pick(random, List.of("[]", "[{\"type\":\"ping\"}]", "null", "123", "\"ping\"",
                    "true", "-0.5e3")), Expect.ERROR);
        } else if (kind < 20) {
            frame.remove("type");
            if (random.nextBoolean()) {
                frame.put(Hostile.pick(random, List.of("Type", "type ", "TYPE", "\u0074ype\u0085")), spec.type());
            }
            return text("no type", JsonText.write(frame), Expect.ERROR);
        } else if (kind < 26) {
            frame.put("type", Hostile.pick(random, List.of(123, List.of("ping"), Map.of("type", "ping"), "", "   ", false,
                    new JsonText.Raw("null"))));
            return text("type not a string", JsonText.write(frame), Expect.ERROR);
        } else if (kind < 34) {
            frame.put("type", Hostile.pick(random, List.of("pong", "error", "ready", "PING", "ping ", "message.created",
                    "call.created", "ping\u0085", "\u202eping", "x".repeat(5000), "send\u0000", "__proto__",
                    socket.equals("ws/chat") ? "call.invite" : "send")));
            return text("unknown type", JsonText.write(frame), Expect.ERROR);
        } else if (kind < 50) {
            List<String> fields = new ArrayList<>(spec.valid().keySet());
            fields.remove("candidate"); // its shape is the browser's business: any JSON may be relayed
            if (fields.isEmpty()) {
                return text("valid " + spec.type(), JsonText.write(frame), Expect.PONG, 1);
            }
            String field = Hostile.pick(random, fields);
            frame.put(field, field.equals("rooms") && random.nextBoolean() ? wrongRooms(random)
                    : Hostile.wrongType(random, spec.valid().get(field)));
            return text("wrong field type: " + spec.type() + "." + field, JsonText.write(frame), Expect.ERROR);
        } else if (kind < 60) {
            if (spec.required().isEmpty()) {
                return text("valid " + spec.type(), JsonText.write(frame), Expect.PONG, 1);
            }
            String field = Hostile.pick(random, spec.required());
            if (random.nextBoolean()) {
                frame.remove(field);
            } else {
                frame.put(field, null);
            }
            return text("missing field: " + spec.type() + "." + field, JsonText.write(frame), Expect.ERROR);
        } else if (kind < 72) {
            // well-typed, hostile values: the server may accept or refuse them, but never fail
            for (Map.Entry<String, Object> entry : spec.valid().entrySet()) {
                if (entry.getValue() instanceof String && random.nextBoolean()) {
                    frame.put(entry.getKey(), Hostile.string(random));
                } else if (entry.getValue() instanceof Number && random.nextBoolean()) {
                    frame.put(entry.getKey(), Hostile.pick(random, Hostile.NUMBERS));
                }
            }
            frame.put(Hostile.pick(random, Hostile.STRINGS), Hostile.string(random));
            return text("hostile values: " + spec.type(), JsonText.write(frame), spec.type().equals("ping") ? Expect.PONG
                    : Expect.ANY, spec.type().equals("ping") ? 1 : 0);
        } else if (kind < 78) {
            return text("valid " + spec.type(), JsonText.write(frame), spec.type().equals("ping") ? Expect.PONG : Expect.ANY,
                    spec.type().equals("ping") ? 1 : 0);
        } else if (kind < 84) {
            byte[] bytes = random.nextBoolean() ? "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)
                    : randomBytes(random, 1 + random.nextInt(2000));
            return new FrameCase(socket + ": binary frame", List.of(new Part(null, ByteBuffer.wrap(bytes), true)), Expect.ERROR,
                    0);
        } else if (kind < 88) {
            String ping = "{\"type\":\"ping\",\"pad\":\"" + "p".repeat(random.nextInt(3000)) + "\"}";
            int cut1 = 1 + random.nextInt(ping.length() - 2);
            int cut2 = cut1 + random.nextInt(ping.length() - cut1);
            return new FrameCase(socket + ": fragmented ping", List.of(new Part(ping.substring(0, cut1), null, false),
                    new Part(ping.substring(cut1, cut2), null, false), new Part(ping.substring(cut2), null, true)),
                    Expect.PONG, 1);
        } else if (kind < 92) {
            return text("ping with hostile text", "{\"type\":\"ping\",\"x\":" + JsonText.write(Hostile.string(random)) + "}",
                    Expect.PONG, 1);
        } else if (kind < 95) {
            boolean deep = random.nextBoolean();
            return text("ping nested " + (deep ? 5000 : 100) + " deep",
                    "{\"type\":\"ping\",\"x\":" + Hostile.nested(deep ? 5000 : 100).text() + "}", deep ? Expect.REPLY
                            : Expect.PONG,
                    1);
        } else {
            boolean huge = kind >= 98;
            int size = huge ? 3 * 512 * 1024 : 100 * 1024;
            return text(huge ? "frame of 1.5 MiB" : "frame of 100 KB", "{\"type\":\"ping\",\"pad\":\"" + "q".repeat(size)
                    + "\"}", Expect.TOO_LARGE);
        }
    }

    /** A resync whose rooms list has the wrong shape inside. */
    private static Object wrongRooms(SplittableRandom random) {
        return Hostile.pick(random, List.of(List.of(1, 2), List.of("room"), List.of(Map.of("roomId", 5)),
                List.of(Map.of("roomId", List.of())), List.of(Map.of("roomId", "r", "afterSeq", "abc")),
                List.of(Map.of("roomId", "r", "afterSeq", List.of(1))), List.of(List.of())));
    }

    private FrameCase text(String label, String text, Expect expect) {
        return text(label, text, expect, 0);
    }

    private FrameCase text(String label, String text, Expect expect, int pings) {
        return new FrameCase(socket + ": " + label, List.of(new Part(text, null, true)), expect, pings);
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
