package io.talkline.commons.events;

import java.time.Duration;

/**
 * What the outbox relay last saw: how many events wait, how long the oldest has waited, and whether
 * its last delivery attempt failed (Kafka, or the database, away). Read by the readiness check and
 * mirrored in the {@code talkline_outbox_*} metrics; no query is made to produce it.
 *
 * @param backlog events in the outbox table when the relay last counted them
 * @param oldestAge how long the oldest of them has waited (zero when there is none)
 * @param failing whether the relay's last attempt to deliver failed
 */
public record OutboxStatus(long backlog, Duration oldestAge, boolean failing) {

    /** Before the relay has run: nothing known to be waiting, nothing failed. */
    public static final OutboxStatus NOT_STARTED = new OutboxStatus(0, Duration.ZERO, false);

    /** Events are at risk of arriving late: delivery fails, or the oldest waited longer than {@code limit}. */
    public boolean degraded(Duration limit) {
        return failing || oldestAge.compareTo(limit) > 0;
    }
}
