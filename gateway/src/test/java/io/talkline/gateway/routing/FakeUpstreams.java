package io.talkline.gateway.routing;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.talkline.commons.testing.FreePorts;
import io.talkline.commons.testing.PrivateRedis;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * Real HTTP servers standing in for the services, so the gateway's routing, failover and failure
 * answers are tested over real sockets: two healthy chat instances and one port where nothing
 * listens; an auth instance that never answers one path; a signaling instance that breaks the
 * connection; a media instance that serves but never answers its readiness probe (a busy box); no
 * audit instance at all. A chat instance named in a request's {@code X-Break-On} header breaks the
 * connection once it has the request, one named in {@code X-Refuse-On} (or a handshake's
 * {@code ?stopping=} query) answers 503, as a killed and a stopping instance do. Started for every
 * test of the module ({@link io.talkline.gateway.TestResources}), with a Redis of the tests' own.
 */
public class FakeUpstreams implements QuarkusTestResourceLifecycleManager {

    static Vertx vertx;
    /** When an upstream last received a /hold request, and when its connection was closed. */
    static final AtomicLong held = new AtomicLong();
    static final AtomicLong released = new AtomicLong();
    /** Requests an instance broke off (X-Break-On) and answered 503 (X-Refuse-On, ?stopping=). */
    static final java.util.concurrent.atomic.AtomicInteger broken = new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        Map<String, String> config = new HashMap<>();
        // chat: two ready instances, one that listens but is not ready, one port where nothing listens
        config.put("gateway.services.chat.instances", url(serve("chat-a", true)) + "," + url(serve("chat-b", true)) + ","
                + url(serve("chat-c", false)) + "," + url(FreePorts.any()));
        config.put("gateway.services.auth.instances", url(serve("auth", true)));
        config.put("gateway.services.signaling.instances", url(serve("signaling", true)));
        config.put("gateway.services.media.instances", url(serve("media", true)));
        config.put("gateway.services.audit.instances", url(FreePorts.any()));
        config.put("gateway.upstream-timeout", "1s");
        config.put("gateway.health-interval", "200ms");
        config.put("gateway.limits.media-body", "6M");
        config.put("gateway.rate-limit.policies.auth.limit", "3");
        config.put("gateway.rate-limit.key-prefix", "rl-test-" + java.util.UUID.randomUUID());
        config.put("gateway.web.root", webClient().toString());
        config.put("platform.auth.jwks-url", url(jwksServer()) + "/.well-known/jwks.json");
        config.put("gateway.rate-limit.policies.authenticated.limit", "5");
        // no new-socket budget comes back while a test runs (one cell per 2 minutes), so the number a
        // caller may open is exactly the limit, however slow the machine
        config.put("gateway.rate-limit.policies.websocket.period", "1h");
        // a lease of cells taken from Redis outlives any test, so no cell is lost to a slow test run:
        // counts of allowed requests are exact (a lease expiring unspent would lose its cells)
        config.put("gateway.rate-limit.lease", "1m");
        config.put("gateway.websocket.max-per-user", "2");
        // socket leases run out 3 s after their last renewal (renewed every second while a tunnel lives)
        config.put("gateway.websocket.lease", "3s");
        redis = new PrivateRedis().start();
        config.put("quarkus.redis.hosts", redis.url());
        return config;
    }

    @Override
    public void stop() {
        redis.stop();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static final java.security.KeyPair KEY = ecKey();
    private static final String KID = "test-key";

    private static java.security.KeyPair ecKey() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stands in for auth-service's key set. */
    private static int jwksServer() {
        try {
            org.jose4j.jwk.PublicJsonWebKey jwk = org.jose4j.jwk.PublicJsonWebKey.Factory.newPublicJwk(KEY.getPublic());
            jwk.setKeyId(KID);
            String jwks = new org.jose4j.jwk.JsonWebKeySet(jwk).toJson();
            return vertx.createHttpServer().requestHandler(request -> request.response()
                    .putHeader("Content-Type", "application/json").end(jwks))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An access token as auth-service would sign it. */
    public static String token(String userId) {
        try {
            org.jose4j.jwt.JwtClaims claims = new org.jose4j.jwt.JwtClaims();
            claims.setIssuer("talkline");
            claims.setAudience("talkline");
            claims.setSubject(userId);
            claims.setJwtId(java.util.UUID.randomUUID().toString());
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(10);
            claims.setStringListClaim("groups", "user");
            claims.setClaim("sid", java.util.UUID.randomUUID().toString());
            org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(KEY.getPrivate());
            jws.setKeyIdHeaderValue(KID);
            jws.setAlgorithmHeaderValue(org.jose4j.jws.AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            return jws.getCompactSerialization();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A built web client as the client issue will produce it: index.html and content-hashed assets. */
    private static java.nio.file.Path webClient() {
        try {
            java.nio.file.Path root = java.nio.file.Files.createTempDirectory("web-client");
            java.nio.file.Files.createDirectories(root.resolve("assets"));
            java.nio.file.Files.writeString(root.resolve("index.html"),
                    "<!doctype html><title>Talkline</title><script src=\"/assets/app-3f9a1c2b.js\"></script>");
            java.nio.file.Files.writeString(root.resolve("assets/app-3f9a1c2b.js"), "console.log('talkline')");
            java.nio.file.Files.writeString(root.resolve("favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
            return root;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateRedis redis;

    /** The Redis the gateway under test uses, for tests that take it away. */
    public static PrivateRedis redis() {
        return redis;
    }

    private static int serve(String name, boolean ready) {
        HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> {
                    String path = request.path();
                    boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
                    if (name.equals(request.getHeader("X-Break-On"))) {
                        // killed mid-request: the request arrived whole, no answer ever comes
                        request.body().onComplete(read -> {
                            broken.incrementAndGet();
                            request.connection().close();
                        });
                    } else if (name.equals(request.getHeader("X-Refuse-On"))
                            || upgrade && ("stopping=" + name).equals(request.query())) {
                        // stopping: refuses new work, as Quarkus does once shutdown began
                        refused.incrementAndGet();
                        request.response().setStatusCode(503).putHeader("Content-Type", "application/problem+json")
                                .end(new JsonObject().put("status", 503).put("detail", name + " is stopping").encode());
                    } else if (path.equals("/q/health/ready") && name.equals("media")) {
                        // a busy box: the probe never hears back in time
                    } else if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade")) && "refuse".equals(request.query())) {
                        // a service refusing a handshake answers with a problem, as the services do
                        request.response().setStatusCode(401).putHeader("Content-Type", "application/problem+json")
                                .end(new JsonObject().put("status", 401).put("detail", "refused by " + name).encode());
                    } else if (upgrade) {
                        // upgraded from the request handler, as the services (Quarkus) do: an echo
                        request.toWebSocket().onSuccess(
                                ws -> ws.textMessageHandler(text -> ws.writeTextMessage(name + ":" + text)));
                    } else if (path.equals("/q/health/ready")) {
                        request.response().setStatusCode(ready ? 200 : 503)
                                .end("{\"status\":\"" + (ready ? "UP" : "DOWN") + "\"}");
                    } else if (path.endsWith("/slow")) {
                        // never answers: the gateway must give up with 504
                    } else if (path.endsWith("/broken")) {
                        request.connection().close();
                    } else if (path.endsWith("/headers")) {
                        // what arrived, and an answer with hop-by-hop headers of its own
                        JsonObject seen = new JsonObject();
                        // a header sent twice shows as one comma-joined value, as HTTP folds it
                        request.headers().forEach(header -> seen.put(header.getKey().toLowerCase(),
                                seen.containsKey(header.getKey().toLowerCase())
                                        ? seen.getString(header.getKey().toLowerCase()) + ", " + header.getValue()
                                        : header.getValue()));
                        request.response().putHeader("Content-Type", "application/json")
                                .putHeader("Connection", "X-Internal").putHeader("X-Internal", "upstream only")
                                .putHeader("Keep-Alive", "timeout=5").putHeader("X-Kept", "yes").end(seen.encode());
                    } else if (path.endsWith("/stream")) {
                        // no Content-Length: chunked, in two parts
                        request.response().setChunked(true).write("part one, ");
                        vertx.setTimer(20, t -> request.response().end("part two"));
                    } else if (path.endsWith("/cut")) {
                        // the head and part of the body, then the connection breaks
                        request.response().setChunked(true).write("the beginning");
                        vertx.setTimer(50, t -> request.connection().close());
                    } else if (path.endsWith("/hold")) {
                        // never answers; notes when the gateway lets go of the exchange
                        held.set(System.nanoTime());
                        request.connection().closeHandler(v -> released.set(System.nanoTime()));
                    } else {
                        long[] bytes = { 0 };
                        request.handler(buffer -> bytes[0] += buffer.length());
                        request.endHandler(v -> request.response()
                                .putHeader("Content-Type", "application/json")
                                .putHeader("X-Request-Id", String.valueOf(request.getHeader("X-Request-Id")))
                                .end(new JsonObject().put("instance", name).put("method", request.method().name())
                                        .put("uri", request.uri()).put("bodyBytes", bytes[0])
                                        .put("requestId", request.getHeader("X-Request-Id"))
                                        .put("forwardedFor", request.getHeader("X-Forwarded-For")).encode()));
                    }
                });
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }
}
