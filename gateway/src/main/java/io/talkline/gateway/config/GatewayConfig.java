package io.talkline.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where each service runs, how patient the gateway is with it, and what it lets in. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Instances per service name (auth, chat, signaling, media, audit). */
    Map<String, Service> services();

    /** Connecting to an instance; a refused or timed-out connect fails over to the next instance. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** An upstream silent this long while we wait for its answer → 504. Not applied to WebSocket tunnels. */
    @WithDefault("30s")
    Duration upstreamTimeout();

    /** How often each instance's /q/health/ready is polled. */
    @WithDefault("2s")
    Duration healthInterval();

    /**
     * Probes in a row that get no answer in time before an instance leaves the rotation: on a busy
     * box a live instance may answer a probe late. A refused connection or a not-ready answer takes
     * it out at once.
     */
    @WithDefault("3")
    int healthFailures();

    /**
     * An instance that comes back into rotation (restarted, or ready again) gets a share of new
     * requests that grows from 5 % to its full share over this long: a JVM that just started is
     * still compiling its hot paths, and half of the load at once overloads it. 0 turns it off.
     */
    @WithDefault("30s")
    Duration slowStart();

    /**
     * Peers whose X-Forwarded-For / Forwarded headers are believed (addresses or CIDRs, e.g. a load
     * balancer's subnet). Empty: the peer address is the client, whatever the headers say.
     */
    Optional<List<String>> trustedProxies();

    Cors cors();

    Security security();

    Limits limits();

    RateLimit rateLimit();

    Web web();

    WebSocket websocket();

    interface WebSocket {
        /** Concurrent sockets one user may hold across every replica. */
        @WithDefault("10")
        int maxPerUser();

        /** A socket's lease in Redis; renewed every third of it while the socket lives. */
        @WithDefault("90s")
        Duration lease();
    }

    interface Web {
        /** The built web client (index.html and assets). Absent: / answers 404. */
        @WithDefault("../web-client/dist")
        java.nio.file.Path root();
    }

    interface Service {
        /** Base URLs, e.g. http://127.0.0.1:8082. */
        List<String> instances();
    }

    interface Cors {
        /** Origins allowed to call the API from a browser (scheme://host[:port]); also checked on WebSocket upgrades. */
        List<String> origins();

        /** Methods a cross-origin request may use. */
        @WithDefault("GET,POST,PUT,PATCH,DELETE,OPTIONS")
        List<String> methods();

        /** Request headers a cross-origin request may send. */
        @WithDefault("Authorization,Content-Type,X-Request-Id,Idempotency-Key")
        List<String> headers();

        /** Response headers a cross-origin page may read. */
        @WithDefault("X-Request-Id,Retry-After,RateLimit-Limit,RateLimit-Remaining,RateLimit-Reset,Location")
        List<String> exposedHeaders();

        /** Whether cross-origin requests may carry credentials. */
        @WithDefault("true")
        boolean credentials();

        /** How long a browser may cache a preflight answer. */
        @WithDefault("PT10M")
        Duration maxAge();
    }

    interface Security {
        /** For the web client: own scripts only, sockets to any host the page talks to, media from blobs. */
        @WithDefault("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
        String contentSecurityPolicy();

        /**
         * Where media-service's presigned URLs point (the S3 endpoint browsers reach, media-service's
         * media.public-url): added to img-src and media-src, so pictures and voice notes load.
         */
        Optional<List<String>> mediaOrigins();

        /** Strict-Transport-Security: only for deployments served over TLS. */
        @WithDefault("false")
        boolean hsts();

        /** max-age of Strict-Transport-Security, when hsts is on. */
        @WithDefault("P365D")
        Duration hstsMaxAge();
    }

    interface Limits {
        /** Bodies of every API call except media uploads (JSON): read whole, so a repeatable one can go to another instance. */
        @WithDefault("64K")
        MemorySize jsonBody();

        /**
         * Media uploads (POST /api/media), streamed through without buffering: media-service's
         * largest kind limit (media.limits.file, 200M) and the form around it.
         */
        @WithDefault("201M")
        MemorySize mediaBody();

        /**
         * Request line and headers together, answered with a 431 problem. (Vert.x itself stops at
         * quarkus.http.limits.max-header-size, set higher, with a bare 431.)
         */
        @WithDefault("16K")
        MemorySize headers();

        /**
         * The request target (path and query), answered with a 414 problem above it. Vert.x' own
         * line limit (quarkus.http.limits.max-initial-line-length) is set higher, as a hard stop.
         */
        @WithDefault("8K")
        MemorySize uri();
    }

    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /**
         * Policies by name: anonymous (per client IP), authenticated, auth (login/register/refresh), websocket (new sockets).
         */
        Map<String, Policy> policies();

        /** Path → policy, for paths stricter than their class. */
        Map<String, String> routes();

        /** Prefix of every Redis key; replicas that must share limits share it. */
        @WithDefault("rl")
        String keyPrefix();

        /** Past this, Redis counts as unreachable and the local limiter decides. */
        @WithDefault("250ms")
        Duration redisTimeout();

        /**
         * How long a replica may spend a lease of cells taken from Redis at once (busy keys only;
         * at most a tenth of the limit); 0 asks Redis on every request.
         */
        @WithDefault("1s")
        Duration lease();
    }

    interface Policy {
        int limit();

        Duration period();
    }
}
