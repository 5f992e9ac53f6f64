package io.talkline.commons.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

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
        int killed = 0;
        for (String client : clients(application)) {
            String id = client.substring(3, client.indexOf(' ')); // "id=<n> addr=…"
            killed += command("CLIENT KILL ID " + id).equals(":1") ? 1 : 0;
        }
        return killed;
    }

    /** How many of this JVM's connections named after the application are subscribed to a channel. */
    public static int subscribed(String application) {
        int subscribed = 0;
        for (String client : clients(application)) {
            int at = client.indexOf(" sub=") + 5;
            subscribed += Integer.parseInt(client.substring(at, client.indexOf(' ', at))) > 0 ? 1 : 0;
        }
        return subscribed;
    }

    /** CLIENT LIST's lines of the pub/sub connections named after the application in this JVM. */
    private static List<String> clients(String application) {
        String name = RedisChannels.connectionName(application);
        String list = command("CLIENT LIST TYPE pubsub");
        return Arrays.stream(list.split("\n")).filter(client -> client.contains(" name=" + name + " ")).toList();
    }

    /** One inline command on a connection of its own: its answer's first line, or a bulk string's body. */
    private static String command(String command) {
        try (Socket socket = new Socket(Infra.HOST, Infra.REDIS_PORT)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            String header = in.readLine();
            if (header == null || !header.startsWith("$")) {
                return String.valueOf(header);
            }
            char[] body = new char[Integer.parseInt(header.substring(1))]; // $<length>, then the body
            for (int read = 0; read < body.length;) {
                read += in.read(body, read, body.length - read);
            }
            return new String(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
