package io.talkline.audit;

import java.time.Instant;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.talkline.commons.events.EventEnvelope;
import io.talkline.commons.events.EventRecords;
import io.talkline.devstack.Infra;

/** Puts records on the real topics as the services' outbox relays do (envelopes) or as log shipping does. */
public final class Publish implements AutoCloseable {

    public static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private final KafkaProducer<String, String> producer;

    public Publish() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafkaBootstrap());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    public static EventEnvelope event(String id, String type, String actorId, String requestId, Instant at, JsonNode payload) {
        return new EventEnvelope(id, type, 1, at, requestId, actorId, payload);
    }

    public static String id() {
        return UUID.randomUUID().toString();
    }

    public void envelope(String topic, String key, EventEnvelope event) {
        producer.send(EventRecords.toRecord(topic, key, event, JSON));
    }

    public void raw(String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    /** Waits until everything sent is on the broker. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }

}
