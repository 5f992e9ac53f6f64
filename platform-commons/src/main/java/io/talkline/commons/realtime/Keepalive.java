package io.talkline.commons.realtime;

import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;

import io.quarkus.logging.Log;
import io.talkline.commons.auth.TokenRejected;
import io.talkline.commons.auth.TokenVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The timers every socket service runs over all its sockets — one timer each, not one per
 * connection (that costs heap on every idle socket): pings, the idle timeout (1001), revoked
 * sessions and expired tokens (4401; a client keeps its socket by sending a fresh token with an
 * {@code auth} frame before its token's expiry plus the grace). Only a refusal closes a socket for revocation: a check that
 * could not be made
 * (Redis unreachable) leaves it open until the next round; while the revocation copy is being
 * rebuilt a round would cost a Redis call per socket, so it waits for the copy instead.
 */
public final class Keepalive {

    private static final Buffer PING = Buffer.buffer("ping");

    private Keepalive() {
    }

    public static void start(Vertx vertx, Supplier<Collection<? extends LiveSocket>> sockets, TokenVerifier verifier,
            Duration pingInterval, Duration idleTimeout, Duration revocationCheck, Duration tokenGrace) {
        long idleMs = idleTimeout.toMillis();
        vertx.setPeriodic(pingInterval.toMillis(), id -> sockets.get().forEach(Keepalive::ping));
        vertx.setPeriodic(Math.max(100, idleMs / 4), id -> {
            long silentSince = System.currentTimeMillis() - idleMs;
            for (LiveSocket socket : sockets.get()) {
                if (socket.heardAt() < silentSince && !socket.closing()) {
                    Log.debugf("closing silent socket %s of userId=%s", socket.connection().id(), socket.userId());
                    socket.close(LiveSocket.IDLE, "idle: nothing heard, not even a pong");
                }
            }
        });
        long graceMs = tokenGrace.toMillis();
        vertx.setPeriodic(revocationCheck.toMillis(), id -> {
            long expiredBefore = System.currentTimeMillis() - graceMs;
            boolean local = verifier.checksLocally();
            for (LiveSocket socket : sockets.get()) {
                if (socket.closing()) {
                    continue;
                }
                if (socket.token().expiresAt().toEpochMilli() < expiredBefore) {
                    Log.debugf("closing socket %s of userId=%s: its access token expired", socket.connection().id(),
                            socket.userId());
                    socket.close(LiveSocket.REVOKED, "access token expired: send auth {token} in time, or reconnect");
                } else if (local) {
                    closeIfRevoked(verifier, socket);
                }
            }
        });
    }

    private static void ping(LiveSocket socket) {
        if (!socket.closing() && socket.connection().isOpen()) {
            socket.connection().sendPing(PING).subscribe().with(ignored -> {
            }, failure -> Log.debugf("ping to %s not sent: %s", socket.connection().id(), failure.toString()));
        }
    }

    private static void closeIfRevoked(TokenVerifier verifier, LiveSocket socket) {
        verifier.stillValid(socket.token()).subscribe().with(ok -> {
        }, failure -> {
            if (failure instanceof TokenRejected revoked) {
                Log.infof("closing the socket of a revoked session userId=%s: %s", socket.userId(), revoked.getMessage());
                socket.close(LiveSocket.REVOKED, "session revoked");
            } else {
                Log.debugf("revocation of userId=%s not checked: %s", socket.userId(), failure.toString());
            }
        });
    }
}
