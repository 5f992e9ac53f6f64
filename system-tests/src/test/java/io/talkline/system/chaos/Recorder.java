package io.talkline.system.chaos;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the load saw, as it happened: every send, every stretch without a socket, every ring. Times in ms since the run began.
 */
final class Recorder {

    /** One message a client set out to send, with every attempt it took. */
    static final class Send {
        final String roomId;
        final String senderId;
        final String clientMsgId;
        final long startedAt;
        volatile int attempts;
        volatile int failedAttempts;
        /** When it was accepted (201, or 200 for a repeat), or -1. */
        volatile long acceptedAt = -1;
        volatile String messageId;
        volatile long seq;
        /** A 4xx other than 408/429: the platform refused it for good (a defect under this load). */
        volatile String refused;

        Send(String roomId, String senderId, String clientMsgId, long startedAt) {
            this.roomId = roomId;
            this.senderId = senderId;
            this.clientMsgId = clientMsgId;
            this.startedAt = startedAt;
        }

        boolean accepted() {
            return acceptedAt >= 0;
        }
    }

    /** A client without a working socket from {@code from} to {@code to} (ms). */
    record Outage(String client, long from, long to) {
        long millis() {
            return to - from;
        }
    }

    /** A call rung from one signaling socket to another: rung within {@code millis}, or not (-1). */
    record Ring(long at, long millis) {
        boolean ok() {
            return millis >= 0;
        }
    }

    private final long origin = System.nanoTime();
    final ConcurrentLinkedQueue<Send> sends = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Outage> outages = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Ring> rings = new ConcurrentLinkedQueue<>();

    long now() {
        return (System.nanoTime() - origin) / 1_000_000;
    }

    Send send(String roomId, String senderId, String clientMsgId) {
        Send send = new Send(roomId, senderId, clientMsgId, now());
        sends.add(send);
        return send;
    }

    void outage(String client, long from, long to) {
        outages.add(new Outage(client, from, to));
    }

    void ring(long at, long millis) {
        rings.add(new Ring(at, millis));
    }

    List<Send> sendsBetween(long from, long to) {
        return sends.stream().filter(s -> s.startedAt >= from && s.startedAt < to).toList();
    }

    /** Outages that began in the window, and the one still open then (counted up to {@code end}). */
    List<Outage> outagesBetween(long from, long to) {
        return outages.stream().filter(o -> o.from() >= from && o.from() < to).toList();
    }

    List<Ring> ringsBetween(long from, long to) {
        return rings.stream().filter(r -> r.at() >= from && r.at() < to).toList();
    }
}
