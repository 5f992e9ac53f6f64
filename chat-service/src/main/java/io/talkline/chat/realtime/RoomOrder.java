package io.talkline.chat.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code message.created} frames of one room, passed on to this instance's sockets in seq order
 * (ADR 0035). They come from two places: from this instance's writers at once (local first), and
 * from Redis, which brings the other instances' frames and, a little later, a copy of this
 * instance's own. A frame that comes before an earlier seq is held until that seq comes, or until
 * the hold ends ({@link #release}): a frame Redis lost must not stop the room. The copy of a frame
 * already passed on locally is dropped; any other frame is passed on, late if need be, never
 * dropped. Not thread-safe: {@link Sockets} holds the object's lock.
 */
final class RoomOrder {

    /** Own seqs whose copy from Redis has not come yet are forgotten this far behind the newest. */
    static final long LOCAL_WINDOW = 10_000;

    /** The timer of the current hold ({@link Sockets}'), or -1; set under this object's lock. */
    volatile long timer = -1;
    /** The seq the room's next frame should have; 0 until the first frame. */
    private long next;
    private final TreeMap<Long, String> held = new TreeMap<>();
    /** Seqs passed on (or held) from this instance, whose copy from Redis is still to come. */
    private final TreeSet<Long> local = new TreeSet<>();

    /** A frame of this instance's own writer: the frames to pass on now, in order. */
    List<String> local(long seq, String frame) {
        local.add(seq);
        if (local.size() > 1 && local.first() < seq - LOCAL_WINDOW) {
            local.headSet(seq - LOCAL_WINDOW).clear();
        }
        return accept(seq, frame);
    }

    /** A frame from Redis: the frames to pass on now, in order (none for the copy of a local one). */
    List<String> remote(long seq, String frame) {
        if (local.remove(seq)) {
            return List.of();
        }
        return accept(seq, frame);
    }

    /** True while a frame waits for an earlier seq. */
    boolean holding() {
        return !held.isEmpty();
    }

    /**
     * The hold ended: every held frame, in seq order, as if the missing seqs had been passed on (the
     * clients see the gap and resync, api.md); one that comes after all is passed on late.
     */
    List<String> release() {
        List<String> out = new ArrayList<>(held.size());
        for (Map.Entry<Long, String> frame : held.entrySet()) {
            out.add(frame.getValue());
            next = frame.getKey() + 1;
        }
        held.clear();
        return out;
    }

    /**
     * The pub/sub connection was lost, so frames were missed: what was held passes on now, in order,
     * and the room's next frame sets the order again. The own seqs whose copy is still to come stay
     * known: a publish that waited behind others reaches Redis after the new subscription, and its
     * copy must still be dropped.
     */
    List<String> reset() {
        List<String> out = release();
        next = 0;
        return out;
    }

    private List<String> accept(long seq, String frame) {
        if (next == 0 || seq < next) {
            // the room's first frame here, or one that comes late: on at once
            if (next == 0) {
                next = seq + 1;
            }
            return List.of(frame);
        }
        if (seq > next) {
            held.put(seq, frame);
            return List.of();
        }
        List<String> out = new ArrayList<>(1 + held.size());
        out.add(frame);
        next = seq + 1;
        for (Map.Entry<Long, String> first; (first = held.firstEntry()) != null && first.getKey() <= next;) {
            held.pollFirstEntry();
            if (first.getKey() == next) {
                out.add(first.getValue());
                next++;
            }
        }
        return out;
    }
}
