package io.talkline.commons.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.talkline.commons.events.EventEnvelope;
import io.talkline.commons.events.EventRecords;
import io.talkline.devstack.Infra;

/** Reads a topic from the moment it was opened, as a consuming service would, and keeps what it read. */
public final class TopicReader implements AutoCloseable {

    public record Received(String key, String requestIdHeader, EventEnvelope event) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();
    private final KafkaConsumer<String, String> consumer;
    private final List<Received> received = new ArrayList<>();

    public TopicReader(String topic) {
        consumer = fromNow(topic);
    }

    /** A consumer of every partition of the topic, placed at their ends: it reads what comes after. */
    static KafkaConsumer<String, String> fromNow(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafkaBootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        ends.forEach(consumer::seek);
        return consumer;
    }

    /** Polls once; everything read so far, in the order read. */
    public List<Received> poll() {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            received.add(new Received(record.key(), EventRecords.requestId(record.headers()),
                    EventRecords.fromRecord(record, JSON)));
        }
        return List.copyOf(received);
    }

    /** Polls once; the first event read so far that matches. */
    public Optional<Received> find(Predicate<Received> matching) {
        return poll().stream().filter(matching).findFirst();
    }

    /** Polls until at least {@code count} events match (or the time is up); those events, in order. */
    public List<Received> await(Predicate<Received> matching, int count, Duration atMost) {
        long end = System.nanoTime() + atMost.toNanos();
        List<Received> found;
        do {
            found = poll().stream().filter(matching).toList();
        } while (found.size() < count && System.nanoTime() < end);
        return found;
    }

    public long count(Predicate<Received> matching) {
        return received.stream().filter(matching).count();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
