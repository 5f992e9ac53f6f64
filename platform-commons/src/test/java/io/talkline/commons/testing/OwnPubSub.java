package io.talkline.commons.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.talkline.commons.realtime.RedisChannels;
import io.talkline.devstack.Infra;

/**
 * Drops this test process's own pub/sub connection to the shared Redis — found by the name
 * {@link RedisChannels} gives it — and nobody else's (a running platform, another build).
 */
public final class OwnPubSub {

    private OwnPubSub() {
    }

    /** Kills the connection(s) named after the application in this JVM; returns how many. */
    public static int kill(String application) {
        String name = RedisChannels.connectionName(application);
        try (Socket socket = new Socket(Infra.HOST, Infra.REDIS_PORT)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.write("CLIENT LIST TYPE pubsub\r\n".getBytes(StandardCharsets.UTF_8));
            String header = in.readLine(); // $<length>, then the lines and an empty one
            if (header == null || !header.startsWith("$")) {
                throw new IllegalStateException("CLIENT LIST answered " + header);
            }
            char[] body = new char[Integer.parseInt(header.substring(1))];
            for (int read = 0; read < body.length;) {
                read += in.read(body, read, body.length - read);
            }
            in.readLine();
            int killed = 0;
            for (String client : new String(body).split("\n")) {
                if (client.contains(" name=" + name + " ")) {
                    String id = client.substring(3, client.indexOf(' ')); // "id=<n> addr=…"
                    out.write(("CLIENT KILL ID " + id + "\r\n").getBytes(StandardCharsets.UTF_8));
                    killed += in.readLine().equals(":1") ? 1 : 0;
                }
            }
            return killed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
