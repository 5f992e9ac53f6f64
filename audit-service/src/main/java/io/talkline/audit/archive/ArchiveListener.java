package io.talkline.audit.archive;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.talkline.audit.archive.ArchiveFold.MessageEvent;
import io.talkline.audit.store.Envelopes;
import io.talkline.audit.store.Retrying;
import io.talkline.commons.events.EventEnvelope;

/** chat.messages.v1 → {@code message_archive}: every message with its edits and deletion folded in. */
@ApplicationScoped
public class ArchiveListener {

    private final ArchiveStore store;
    private final Envelopes envelopes;
    private final Retrying retrying;

    public ArchiveListener(ArchiveStore store, Envelopes envelopes, Retrying retrying) {
        this.store = store;
        this.envelopes = envelopes;
        this.retrying = retrying;
    }

    @Incoming("archive")
    @Blocking(ordered = true)
    public void onBatch(ConsumerRecords<String, String> records) throws InterruptedException {
        List<MessageEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            EventEnvelope event = envelopes.parse(record);
            if (event == null) {
                continue;
            }
            MessageEvent message = new MessageEvent(event.type(), event.actorId(), event.occurredAt(), event.payload());
            if (message.messageId() == null) {
                envelopes.skip(record, new IllegalArgumentException("the payload names no message id"));
                continue;
            }
            try {
                ArchiveFold.apply(null, message); // a payload the fold cannot read is skipped here, not retried for ever
            } catch (RuntimeException e) {
                envelopes.skip(record, e);
                continue;
            }
            events.add(message);
        }
        retrying.run("message archive", () -> store.store(events));
    }
}
