package io.talkline.media.access;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.talkline.commons.events.EventRecords;
import io.talkline.media.media.MediaService;

/**
 * chat.messages.v1 → attachments: a message that names a media item makes it readable to its
 * room; deleting the message takes that away. Events arrive at least once and in order per room;
 * attaching is idempotent. A failure (database away) is retried until it succeeds, holding the
 * partition: nothing is skipped.
 */
@ApplicationScoped
public class AttachmentListener {

    private static final Duration RETRY = Duration.ofSeconds(2);

    private final MediaService media;
    private final ObjectMapper json;

    public AttachmentListener(MediaService media, ObjectMapper json) {
        this.media = media;
        this.json = json;
    }

    /**
     * A fetch's worth of records at a time: most messages name no media item, and the type header
     * lets every event but message.created and message.deleted go by without being parsed.
     */
    @Incoming("chat-messages")
    @Blocking(ordered = true)
    public void onBatch(ConsumerRecords<String, String> records) throws InterruptedException {
        for (ConsumerRecord<String, String> record : records) {
            Header typeHeader = record.headers().lastHeader(EventRecords.TYPE_HEADER);
            String type = typeHeader == null ? null : new String(typeHeader.value(), StandardCharsets.UTF_8);
            if (type != null && !type.equals("message.created") && !type.equals("message.deleted")) {
                continue;
            }
            onEvent(record.value());
        }
    }

    private void onEvent(String envelope) throws InterruptedException {
        JsonNode event;
        try {
            event = json.readTree(envelope);
        } catch (Exception e) {
            Log.warnf("chat.messages.v1: skipping an event that is not JSON: %s", e.getMessage());
            return;
        }
        String type = event.path("type").asText();
        JsonNode message = event.path("payload");
        while (true) {
            try {
                switch (type) {
                    case "message.created" -> {
                        if (message.hasNonNull("mediaId")) {
                            media.attach(message.path("mediaId").asText(), message.path("id").asText(),
                                    message.path("roomId").asText(), message.path("senderId").asText());
                        }
                    }
                    case "message.deleted" -> media.detach(message.path("id").asText());
                    default -> {
                    }
                }
                return;
            } catch (RuntimeException e) {
                Log.warnf("chat.messages.v1 %s: %s; retrying in %s", type, e.toString(), RETRY);
                Thread.sleep(RETRY.toMillis());
            }
        }
    }
}
