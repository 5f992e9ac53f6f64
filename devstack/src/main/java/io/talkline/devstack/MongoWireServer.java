package io.talkline.devstack;

import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The local MongoDB: a wire-protocol server with an in-memory backend. It does not expire TTL
 * documents and has no transactions, so platform code must not rely on either locally.
 */
public final class MongoWireServer {

    private MongoWireServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind(args[0], Integer.parseInt(args[1]));
        System.out.println("mongo wire server listening on " + args[0] + ":" + args[1]);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        new CountDownLatch(1).await();
    }
}
