package io.talkline.commons.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import io.vertx.core.json.JsonObject;

/**
 * A WebSocket client on a plain socket, for the clients {@link FrameClient} (the JDK's WebSocket)
 * cannot be: that one answers every ping by itself and always reads, while some tests need a client
 * that never answers a ping (idle timeout) or one whose TCP receive window fills because it stopped
 * reading (slow consumer, write timeout). It reads only when the test says so.
 */
public final class RawSocket implements AutoCloseable {

    public static final int TEXT = 0x1;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;

    /** A frame from the server (never masked): its opcode and payload. */
    public record Frame(int opcode, byte[] payload) {

        public JsonObject json() {
            return new JsonObject(new String(payload, StandardCharsets.UTF_8));
        }

        public int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        public String closeReason() {
            return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;

    private RawSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    /**
     * Upgrades {@code path} (/ws/chat, /ws/signal) with the token; a small receive buffer, set before
     * connecting so the window offered is that small, makes a client that stops reading fill up at once.
     */
    public static RawSocket upgrade(URL base, String path, String token, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        String head = handshake(socket, base, path, token, "");
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        return new RawSocket(socket);
    }

    /**
     * The server's answer (status line and headers) to an upgrade of {@code path} with the token
     * (none when null) and {@code extraHeaders} (each ending in CRLF); the connection is closed after.
     */
    public static String handshakeAnswer(URL base, String path, String token, String extraHeaders) throws IOException {
        try (Socket socket = new Socket()) {
            return handshake(socket, base, path, token, extraHeaders);
        }
    }

    private static String handshake(Socket socket, URL base, String path, String token, String extraHeaders)
            throws IOException {
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        socket.setSoTimeout(20_000);
        String query = token == null ? "" : "?access_token=" + token;
        socket.getOutputStream().write(("GET " + path + query + " HTTP/1.1\r\nHost: " + base.getHost()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        return head.toString();
    }

    /** One text frame, masked as a client's must be (RFC 6455 5.3). */
    public void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 8);
        frame.write(0x80 | TEXT); // FIN, text
        if (payload.length < 126) {
            frame.write(0x80 | payload.length); // masked, length
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        }
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        socket.getOutputStream().write(frame.toByteArray());
        socket.getOutputStream().flush();
    }

    public Frame read() throws IOException {
        int opcode = in.readUnsignedByte() & 0x0f;
        int length = in.readUnsignedByte() & 0x7f;
        long size = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
        byte[] payload = new byte[(int) size];
        in.readFully(payload);
        return new Frame(opcode, payload);
    }

    /** The next text frame of this type (others are skipped). */
    public Frame next(String type) throws IOException {
        Frame frame = read();
        while (frame.opcode() != TEXT || !type.equals(frame.json().getString("type"))) {
            frame = read();
        }
        return frame;
    }

    /**
     * The largest send buffer the kernel grows a TCP socket to (Linux tcp_wmem), else a generous
     * 4 MB: with the client's receive buffer, what can be in flight to a client that stopped reading.
     */
    public static long maxSendBuffer() {
        try {
            String[] wmem = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim()
                    .split("\\s+");
            return Long.parseLong(wmem[2]);
        } catch (IOException | RuntimeException e) {
            return 4L << 20;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
