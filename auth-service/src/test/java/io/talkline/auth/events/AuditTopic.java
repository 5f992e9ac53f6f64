package io.talkline.auth.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.talkline.commons.events.EventEnvelope;
import io.talkline.commons.events.EventRecords;
import io.talkline.commons.events.Topics;
import io.talkline.devstack.Infra;

/** Reads audit.events.v1 from the moment it was opened, as audit-service would. */
final class AuditTopic implements AutoCloseable {

    record Received(String key, String requestIdHeader, EventEnvelope event) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();
    private final KafkaConsumer<String, String> consumer;
    private final List<Received> received = new ArrayList<>();

    AuditTopic() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafkaBootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "auth-audit-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUDIT).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        ends.forEach(consumer::seek);
    }

    /** The event of this type caused by the request with this id, once it arrived. */
    Optional<Received> find(String type, String requestId) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            received.add(new Received(record.key(), EventRecords.requestId(record.headers()),
                    EventRecords.fromRecord(record, JSON)));
        }
        return received.stream().filter(r -> r.event().type().equals(type) && requestId.equals(r.event().requestId()))
                .findFirst();
    }

    long count(String type, String requestId) {
        return received.stream().filter(r -> r.event().type().equals(type) && requestId.equals(r.event().requestId()))
                .count();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
