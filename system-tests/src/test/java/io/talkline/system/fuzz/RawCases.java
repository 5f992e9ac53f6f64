package io.talkline.system.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/** Requests malformed at the HTTP level, for the gateway's codec (sent with {@link RawHttp}). */
final class RawCases {

    /** One raw request. */
    /** The one case a closed connection answers well enough (see Fuzzer.rawCase). */
    static final String BAD_FRAMING = "raw: bad chunk size";

    record RawCase(String label, byte[] bytes) {

        String summary() {
            return Report.clip(new String(bytes, StandardCharsets.ISO_8859_1), 200);
        }
    }

    private static final String LOGIN = "{\"username\":\"nobody\",\"password\":\"wrong password\"}";
    private final Fixtures world;
    private final String host;

    RawCases(Fixtures world, String host) {
        this.world = world;
        this.host = host;
    }

    RawCase next(SplittableRandom random) {
        String path = Hostile.pick(random, List.of("/api/auth/me", "/api/rooms", "/api/rooms/" + world.groupRoom + "/messages",
                "/api/calls/ice-servers", "/api/media/x", "/api/audit/events", "/api/auth/login", "/.well-known/jwks.json"));
        String auth = "Authorization: Bearer " + world.alice.token() + "\r\n";
        String common = "Host: " + host + "\r\n" + auth + "Connection: close\r\n";
        int kind = random.nextInt(30);
        return switch (kind) {
            case 0 -> raw("Content-Length: abc", "POST /api/auth/login HTTP/1.1\r\n" + common
                    + "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n" + LOGIN);
            case 1 -> raw("Content-Length: -1", "POST /api/auth/login HTTP/1.1\r\n" + common
                    + "Content-Type: application/json\r\nContent-Length: -1\r\n\r\n" + LOGIN);
            case 2 -> raw("two different Content-Length", "POST /api/auth/login HTTP/1.1\r\n" + common
                    + "Content-Type: application/json\r\nContent-Length: " + LOGIN.length() + "\r\nContent-Length: 5\r\n\r\n"
                    + LOGIN);
            case 3 -> raw("Content-Length and chunked", "POST /api/auth/login HTTP/1.1\r\n" + common
                    + "Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(LOGIN.length()) + "\r\n" + LOGIN + "\r\n0\r\n\r\n");
            case 4 -> raw(BAD_FRAMING.substring("raw: ".length()), "POST /api/auth/login HTTP/1.1\r\n" + common
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + LOGIN + "\r\n0\r\n\r\n");
            case 5 -> raw("unknown transfer coding", "POST /api/auth/login HTTP/1.1\r\n" + common
                    + "Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            case 6 -> raw("20 KB URI", "GET " + path + "?q=" + "u".repeat(20_000) + " HTTP/1.1\r\n" + common + "\r\n");
            case 7 -> raw("query parameter 500 times", "GET " + path + "?" + "limit=1&".repeat(500) + "x=1 HTTP/1.1\r\n"
                    + common + "\r\n");
            case 8 ->
                raw("backslash in path", "GET " + Hostile.pick(random, List.of("/api\\auth\\me", "/api/rooms\\..\\auth/me",
                        "\\api/rooms", "/api/auth/me\\")) + " HTTP/1.1\r\n" + common + "\r\n");
            case 9 -> raw("bad header name", "GET " + path + " HTTP/1.1\r\n" + common + Hostile.pick(random, List.of(
                    "Bad Header: x", "X-Ctl\u0001: y", ": no-name", "NoColon", "X-(paren): y", "X-Tab\t: y", "X-Ünï: y"))
                    + "\r\n\r\n", StandardCharsets.UTF_8);
            case 10 -> raw("bare LF line ends", ("GET " + path + " HTTP/1.1\r\n" + common + "\r\n").replace("\r\n", "\n"));
            case 11 -> raw("LF after the request line only", "GET " + path + " HTTP/1.1\n" + common + "\r\n");
            case 12 -> raw("HTTP/1.0 without Host", "GET " + path + " HTTP/1.0\r\n" + auth + "\r\n");
            case 13 -> raw("HTTP/1.1 without Host", "GET " + path + " HTTP/1.1\r\n" + auth + "Connection: close\r\n\r\n");
            case 14 -> raw("two Host headers", "GET " + path + " HTTP/1.1\r\n" + common + "Host: evil.example\r\n\r\n");
            case 15 -> raw("odd HTTP version", "GET " + path + " " + Hostile.pick(random, List.of("HTTP/9.9", "HTTP/1.1x",
                    "HTTP/0.9", "HTTP/1.10")) + "\r\n" + common + "\r\n");
            case 16 -> raw("request line without version", "GET " + path + "\r\n" + common + "\r\n");
            case 17 -> raw("CONNECT", "CONNECT 127.0.0.1:3306 HTTP/1.1\r\n" + common + "\r\n");
            case 18 -> raw("absolute-form target", "GET http://evil.example" + path + " HTTP/1.1\r\n" + common + "\r\n");
            case 19 -> raw("asterisk target", "OPTIONS * HTTP/1.1\r\n" + common + "\r\n");
            case 20 -> raw("20 KB header", "GET " + path + " HTTP/1.1\r\n" + common + "X-Big: " + "h".repeat(20_000)
                    + "\r\n\r\n");
            case 21 -> raw("70 KB of headers", "GET " + path + " HTTP/1.1\r\n" + common
                    + ("X-Many: " + "h".repeat(1000) + "\r\n").repeat(70) + "\r\n");
            case 22 -> raw("obs-fold header", "GET " + path + " HTTP/1.1\r\n" + common + "X-Folded: a\r\n b\r\n\r\n");
            case 23 -> raw("NUL in path", "GET " + path + "\u0000x HTTP/1.1\r\n" + common + "\r\n");
            case 24 -> raw("raw non-ASCII in path", bytes("GET " + path + "/", new byte[] { (byte) 0xc3, (byte) 0xa9,
                    (byte) 0xff, (byte) 0xc2, (byte) 0x85 }, " HTTP/1.1\r\n" + common + "\r\n"));
            case 25 -> raw("invalid percent-encoding", "GET " + path + Hostile.pick(random, List.of("/%zz", "/%", "/%2",
                    "?q=%zz", "/%u0041")) + " HTTP/1.1\r\n" + common + "\r\n");
            case 26 -> raw("odd method token", Hostile.pick(random, List.of("G@T", "GET\u0000", "\u00e9T", "GET GET",
                    "POST\t")) + " " + path + " HTTP/1.1\r\n" + common + "\r\n");
            case 27 -> raw("WebSocket upgrade, odd", "GET " + Hostile.pick(random, List.of("/ws/chat", "/ws/signal",
                    "/api/rooms")) + Hostile.pick(random,
                            List.of("", "?access_token=garbage", "?access_token="
                                    + world.alice.token()))
                    + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: Upgrade\r\nUpgrade: " + Hostile.pick(random,
                            List.of("websocket", "foo", "WebSocket, foo"))
                    + "\r\n" + Hostile.pick(random, List.of("", "Sec-WebSocket-Key: short\r\n",
                            "Sec-WebSocket-Version: 99\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"))
                    + "\r\n");
            case 28 -> raw("200 headers", "GET " + path + " HTTP/1.1\r\n" + common + "X-N: n\r\n".repeat(200) + "\r\n");
            default -> raw("space before colon", "GET " + path + " HTTP/1.1\r\n" + common + "X-Space : y\r\n\r\n");
        };
    }

    private static RawCase raw(String label, String request) {
        return raw(label, request, StandardCharsets.ISO_8859_1);
    }

    private static RawCase raw(String label, String request, java.nio.charset.Charset charset) {
        return new RawCase("raw: " + label, request.getBytes(charset));
    }

    private static RawCase raw(String label, byte[] request) {
        return new RawCase("raw: " + label, request);
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
