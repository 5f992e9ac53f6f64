package io.talkline.system.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 by hand over a plain socket, for requests no HTTP client would send: the gateway's own
 * codec has to answer them. Reads one answer (skipping 1xx) or whatever arrived before the server
 * closed or fell silent.
 */
final class RawHttp {

    /** What came back: an answer, or why there is none. */
    record Outcome(Answer answer, String nothing) {
    }

    private RawHttp() {
    }

    static Outcome exchange(String host, int port, byte[] request, boolean head, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(timeoutMillis);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // the server may close while a huge request is still being written: read what it said
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (System.currentTimeMillis() < deadline) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    break;
                } catch (IOException e) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                received.write(buffer, 0, n);
                Answer answer = parse(received.toByteArray(), head, false);
                if (answer != null) {
                    return new Outcome(answer, null);
                }
            }
            byte[] bytes = received.toByteArray();
            if (bytes.length == 0) {
                return new Outcome(null, "connection closed or silent without any answer");
            }
            Answer partial = parse(bytes, head, true);
            return partial != null ? new Outcome(partial, null)
                    : new Outcome(null,
                            "unparseable answer: " + Report.clip(new String(bytes, StandardCharsets.ISO_8859_1), 120));
        } catch (IOException e) {
            return new Outcome(null, "could not connect: " + e);
        }
    }

    /** A complete answer from these bytes, or null if more must come (at end: whatever is there). */
    static Answer parse(byte[] bytes, boolean head, boolean atEnd) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int start = 0;
        while (true) {
            int end = text.indexOf("\r\n\r\n", start);
            if (end < 0) {
                return null;
            }
            String[] lines = text.substring(start, end).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                return null;
            }
            int status;
            try {
                status = Integer.parseInt(statusLine[1]);
            } catch (NumberFormatException e) {
                return null;
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                            .add(lines[i].substring(colon + 1).trim());
                }
            }
            int bodyStart = end + 4;
            if (status >= 100 && status < 200 && status != 101) {
                start = bodyStart;
                continue;
            }
            Answer answer = new Answer(status, headers, new byte[0], head);
            String length = answer.header("Content-Length").orElse(null);
            boolean chunked = answer.header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                    .orElse(false);
            if (head || status == 101 || status == 204 || status == 304) {
                return answer;
            }
            if (length != null) {
                int n = Integer.parseInt(length.trim());
                if (bytes.length - bodyStart < n && !atEnd) {
                    return null;
                }
                return new Answer(status, headers, slice(bytes, bodyStart, Math.min(bytes.length, bodyStart + n)), false);
            }
            if (chunked) {
                if (!text.substring(bodyStart).contains("0\r\n\r\n") && !atEnd) {
                    return null;
                }
                return new Answer(status, headers, dechunk(bytes, bodyStart), false);
            }
            return atEnd ? new Answer(status, headers, slice(bytes, bodyStart, bytes.length), false) : null;
        }
    }

    private static byte[] dechunk(byte[] bytes, int from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = from;
        while (at < bytes.length) {
            int eol = text.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size;
            try {
                size = Integer.parseInt(text.substring(at, eol).split(";")[0].trim(), 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0 || eol + 2 + size > bytes.length) {
                break;
            }
            out.write(bytes, eol + 2, size);
            at = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        byte[] out = new byte[Math.max(0, to - from)];
        System.arraycopy(bytes, from, out, 0, out.length);
        return out;
    }
}
