package io.talkline.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.talkline.commons.testing.FreePorts;
import io.talkline.devstack.Infra;

/**
 * Kafka away for one service only, without stopping the Kafka other tests share: the service's
 * bootstrap address is a free port where nothing listens until {@link #open()}, which then passes
 * connections on to the shared broker. Once the client has its metadata it talks to the broker's
 * advertised address directly, so "back" is the real Kafka and its topics (read with TopicReader).
 */
public final class KafkaGate {

    /** The gate of {@link Away}: one per test JVM. */
    public static final KafkaGate OF_PROFILE = new KafkaGate();

    private final int port = FreePorts.any();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private ServerSocket server;

    public String bootstrap() {
        return Infra.HOST + ":" + port;
    }

    /** Kafka is back: connections to the bootstrap address reach the shared broker. */
    public synchronized void open() {
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(Infra.HOST, port));
        } catch (IOException e) {
            throw new UncheckedIOException("port " + port + " was taken meanwhile", e);
        }
        ServerSocket listening = server;
        Thread.ofVirtual().start(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket broker = new Socket(Infra.HOST, Infra.KAFKA_PORT);
                    sockets.add(client);
                    sockets.add(broker);
                    Thread.ofVirtual().start(() -> pipe(client, broker));
                    Thread.ofVirtual().start(() -> pipe(broker, client));
                } catch (IOException e) {
                    // closed, or the broker refused this one connection: the client retries
                }
            }
        });
    }

    public synchronized void close() {
        try {
            if (server != null) {
                server.close();
            }
            for (Socket socket : sockets) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed: the other is closed below
        } finally {
            quietly(from);
            quietly(to);
        }
    }

    private void quietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** {@code @TestProfile(KafkaGate.Away.class)}: the service starts with Kafka away (the gate closed). */
    public static class Away implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Closed.class));
        }
    }

    public static class Closed implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            // retries within a second of Kafka's return, so the test does not wait out a 5 s back-off
            return Map.of("kafka.bootstrap.servers", OF_PROFILE.bootstrap(), "platform.outbox.max-backoff", "1s");
        }

        @Override
        public void stop() {
            OF_PROFILE.close();
        }

        /** After the module's resources (DevstackResource): this address replaces the shared Kafka's. */
        @Override
        public int order() {
            return Integer.MAX_VALUE;
        }
    }
}
