package io.talkline.chat.moderation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.talkline.chat.config.ChatConfig;
import io.talkline.chat.message.MessageView;

/**
 * The automatic rules, off the send path: every message created or edited, read from
 * chat.messages.v1 by the consumer group {@code chat-moderation} (the instances share the
 * partitions; one room's messages stay in order on one). A batch is checked in memory (words,
 * patterns, links) and against Redis in one round trip (flood, repeat); only hits touch the
 * database, each message's in one transaction that is idempotent under redelivery. Offsets move
 * after the batch, so a consumer that falls behind catches up without skipping. A record that
 * cannot be read, or keeps failing while the database and Redis answer, is set aside (table
 * moderation_set_aside, metric talkline_moderation_set_aside_total) instead of holding its partition.
 */
@ApplicationScoped
public class MessageChecks {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    /** What moderation reads of a chat.messages.v1 event (in one pass, no tree). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MessageEvent(String type, MessageView payload) {
    }

    /** A message event to check, with the rules it hit so far. */
    private record Checked(ConsumerRecord<String, String> record, MessageView message, String version,
            List<Hit> hits) {
    }

    private final RuleStore rules;
    private final RateWindows windows;
    private final CaseService cases;
    private final ObjectMapper json;
    private final EntityManager em;
    private final RedisDataSource redis;
    private final int attempts;
    private final Counter checked;
    private final Counter setAside;

    public MessageChecks(RuleStore rules, RateWindows windows, CaseService cases, ObjectMapper json, EntityManager em,
            RedisDataSource redis, ChatConfig config, MeterRegistry metrics) {
        this.rules = rules;
        this.windows = windows;
        this.cases = cases;
        this.json = json;
        this.em = em;
        this.redis = redis;
        this.attempts = Math.max(1, config.moderation().attempts());
        this.checked = Counter.builder("talkline_moderation_messages_checked_total")
                .description("Created and edited messages checked against the moderation rules").register(metrics);
        this.setAside = Counter.builder("talkline_moderation_set_aside_total")
                .description("Records of chat.messages.v1 moderation could not process and set aside").register(metrics);
    }

    @Incoming("moderation")
    @Blocking(ordered = true)
    public void onBatch(ConsumerRecords<String, String> records) throws InterruptedException {
        RuleSet rules = this.rules.current();
        List<Checked> batch = new ArrayList<>();
        List<RateWindows.Check> windowChecks = new ArrayList<>();
        List<Checked> windowOwners = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            Checked message;
            try {
                message = read(record);
                if (message == null) {
                    continue;
                }
                NormalizedText text = NormalizedText.of(message.message().body());
                message.hits().addAll(rules.check(message.message().body(), text));
                if (message.version().equals("created")) {
                    for (RateWindows.Check check : RateWindows.checks(rules, message.message(), text)) {
                        windowChecks.add(check);
                        windowOwners.add(message);
                    }
                }
            } catch (RuntimeException e) {
                setAside(record, e);
                continue;
            }
            batch.add(message);
        }
        boolean[] hits = untilItWorks("flood and repeat windows in Redis", () -> windows.run(windowChecks));
        for (int i = 0; i < hits.length; i++) {
            if (hits[i]) {
                RateWindows.Check check = windowChecks.get(i);
                windowOwners.get(i).hits().add(new Hit(check.window().rule(), check.flood()
                        ? "more than " + check.window().limit() + " messages in "
                                + check.window().windowMillis() / 1000 + " s"
                        : "the same text in " + check.window().limit() + " or more rooms within "
                                + check.window().windowMillis() / 1000 + " s"));
            }
        }
        for (Checked message : batch) {
            if (!message.hits().isEmpty()) {
                process(message);
            }
        }
        checked.increment(batch.size());
    }

    /** The message of a created or edited event; null for other events; throws for a record that is none. */
    private Checked read(ConsumerRecord<String, String> record) {
        MessageEvent event;
        try {
            event = json.readValue(record.value(), MessageEvent.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a message event: " + e.getMessage());
        }
        String type = event == null || event.type() == null ? "" : event.type();
        if (!type.equals("message.created") && !type.equals("message.updated")) {
            return null;
        }
        MessageView message = event.payload();
        if (message == null || message.id() == null || message.roomId() == null || message.senderId() == null
                || message.createdAt() == null) {
            throw new IllegalArgumentException("the payload names no message id, room, sender or time");
        }
        if (message.deletedAt() != null) {
            return null; // deleted before it was checked: nothing left to moderate
        }
        String version = type.equals("message.created") ? "created"
                : message.editedAt() == null ? "edited" : message.editedAt().toString();
        return new Checked(record, message, version, new ArrayList<>());
    }

    /** A message's hits into the database: tried again while that fails, set aside if it keeps failing for itself. */
    private void process(Checked message) throws InterruptedException {
        Duration pause = FIRST_PAUSE;
        for (int failures = 1;; failures++) {
            try {
                cases.onHits(message.message(), message.version(), message.hits());
                return;
            } catch (RuntimeException e) {
                if (failures >= attempts && healthy()) {
                    setAside(message.record(), e);
                    return;
                }
                if (failures == 1 || failures % 20 == 0) {
                    Log.warnf("moderation of message %s failed (%s); trying again", message.message().id(), e.toString());
                }
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    /** Whether the database and Redis answer: then a record that keeps failing is at fault, not they. */
    private boolean healthy() {
        try {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("select 1").getSingleResult());
            redis.execute("PING");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void setAside(ConsumerRecord<String, String> record, Exception why) throws InterruptedException {
        String error = why.toString();
        untilItWorks("setting a record aside", () -> QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "insert ignore into moderation_set_aside (topic, kafka_partition, kafka_offset, record_key, record_value, "
                        + "error, created_at) values (?1, ?2, ?3, ?4, ?5, ?6, current_timestamp(3))")
                .setParameter(1, record.topic()).setParameter(2, record.partition()).setParameter(3, record.offset())
                .setParameter(4, record.key()).setParameter(5, record.value())
                .setParameter(6, error.length() > 2000 ? error.substring(0, 2000) : error).executeUpdate()));
        setAside.increment();
        Log.warnf("%s-%d@%d set aside by moderation: %s", record.topic(), record.partition(), record.offset(), error);
    }

    private <T> T untilItWorks(String what, java.util.function.Supplier<T> work) throws InterruptedException {
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1;; attempt++) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (attempt == 1 || attempt % 20 == 0) {
                    Log.warnf("moderation: %s failed (%s); trying again", what, e.toString());
                }
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }
}
