package io.talkline.commons.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.talkline.commons.events.EventRecords;
import io.talkline.devstack.Infra;

/**
 * Reads a topic whose values are plain JSON documents, not event envelopes (platform.logs.v1),
 * from the moment it was opened, and keeps what it read. Creates the topic when it is missing (a
 * Kafka devstack set up before the topic was in {@link Infra#TOPICS}: the broker never creates one).
 */
public final class JsonTopicReader implements AutoCloseable {

    public record Received(String key, String requestIdHeader, JsonNode value) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final KafkaConsumer<String, String> consumer;
    private final List<Received> received = new ArrayList<>();

    public JsonTopicReader(String topic) {
        ensureTopic(topic);
        consumer = TopicReader.fromNow(topic);
    }

    /** Creates the topic (Infra.TOPIC_PARTITIONS partitions) unless it exists. */
    public static void ensureTopic(String topic) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafkaBootstrap());
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            if (!existing.contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, Infra.TOPIC_PARTITIONS, (short) 1))).all().get(30,
                        TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
    }

    /** Polls once; everything read so far, in the order read. */
    public List<Received> poll() {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            try {
                received.add(new Received(record.key(), EventRecords.requestId(record.headers()),
                        JSON.readTree(record.value())));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("record at " + record.topic() + "/" + record.partition() + "@"
                        + record.offset() + " is not JSON", e);
            }
        }
        return List.copyOf(received);
    }

    /** Polls until at least {@code count} records match (or the time is up); those records, in order. */
    public List<Received> await(Predicate<Received> matching, int count, Duration atMost) {
        long end = System.nanoTime() + atMost.toNanos();
        List<Received> found;
        do {
            found = poll().stream().filter(matching).toList();
        } while (found.size() < count && System.nanoTime() < end);
        return found;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
