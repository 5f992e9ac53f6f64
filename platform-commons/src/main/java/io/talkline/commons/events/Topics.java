package io.talkline.commons.events;

/** The platform's Kafka topics (architecture.md), created by devstack and by deployments. */
public final class Topics {

    public static final String CHAT_MESSAGES = "chat.messages.v1";
    public static final String MODERATION = "moderation.events.v1";
    public static final String AUDIT = "audit.events.v1";
    public static final String CALLS = "calls.events.v1";
    public static final String MEDIA = "media.events.v1";
    /** Every service's WARN and ERROR log records (platform-commons logs.KafkaLogHandler), keyed by service. */
    public static final String LOGS = "platform.logs.v1";

    private Topics() {
    }
}
