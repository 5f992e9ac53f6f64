package io.talkline.chat.realtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client on a plain socket, for clients no library lets us write: one that stops
 * reading, one that never answers a ping.
 */
final class RawSocket implements AutoCloseable {

    static final int CLOSE = 0x8;
    static final int PING = 0x9;

    /** A frame from the server (never masked): its opcode and payload. */
    record Frame(int opcode, byte[] payload) {

        int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    private final Socket socket;
    private final DataInputStream in;

    private RawSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Upgrades /ws/chat; a small receive buffer makes a client that stops reading fill up at once. */
    static RawSocket upgrade(URL base, String token, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write(("GET /ws/chat?access_token=" + token + " HTTP/1.1\r\nHost: " + base.getHost()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
        return new RawSocket(socket);
    }

    Frame read() throws IOException {
        int opcode = in.readUnsignedByte() & 0x0f;
        int length = in.readUnsignedByte() & 0x7f;
        long size = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
        byte[] payload = new byte[(int) size];
        in.readFully(payload);
        return new Frame(opcode, payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
