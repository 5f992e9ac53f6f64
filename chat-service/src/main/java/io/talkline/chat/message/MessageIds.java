package io.talkline.chat.message;

import org.hibernate.id.uuid.UuidVersion7Strategy;

/**
 * Message ids are time-ordered UUIDs (version 7): {@code messages} is clustered on its id, so a
 * new message lands at the end of the index instead of on a random page — with random ids every
 * insert touched a random page of a table larger than the buffer pool (ADR 0031).
 */
final class MessageIds {

    private MessageIds() {
    }

    static String next() {
        return UuidVersion7Strategy.INSTANCE.generateUuid(null).toString();
    }
}
