package io.talkline.commons.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The deployment's kafka.* settings reach the project's own producers; their guarantees stay. */
class KafkaClientsTest {

    private static SmallRyeConfig config(Map<String, String> properties, Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                // environment variables: KAFKA_X_Y is kafka.x.y, and wins over the file
                .withSources(new io.smallrye.config.EnvConfigSource(environment, 300)).build();
    }

    @Test
    void everyKafkaSettingFromFileOrEnvironmentBecomesAClientPropertyAndNothingElseDoes() {
        SmallRyeConfig config = config(Map.of("kafka.bootstrap.servers", "broker-1:9093,broker-2:9093",
                "kafka.security.protocol", "PLAINTEXT", "kafka.ssl.truststore.location", "/etc/kafka/trust.p12",
                "quarkus.kafka.devservices.enabled", "false", "mp.messaging.incoming.x.topic", "t"),
                Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                        "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required;"));
        assertEquals(Map.of("bootstrap.servers", "broker-1:9093,broker-2:9093", "security.protocol", "SASL_SSL",
                "ssl.truststore.location", "/etc/kafka/trust.p12", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                KafkaClients.settings(config));
    }

    @Test
    void withoutServersConfiguredTheLocalBrokerIsMeant() {
        assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9092"), KafkaClients.settings(config(Map.of(), Map.of())));
    }

    @Test
    void theOutboxProducerTakesTheDeploymentsSettingsButKeepsItsOwnDeliveryGuarantees() {
        Properties producer = OutboxRelay.producerConfig(Map.of("bootstrap.servers", "broker:9093",
                "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "acks", "1",
                "enable.idempotence", "false"), "chat-service-outbox", settings());
        assertEquals("broker:9093", producer.get("bootstrap.servers"));
        assertEquals("SASL_SSL", producer.get("security.protocol"));
        assertEquals("PLAIN", producer.get("sasl.mechanism"));
        // at least once, in commit order (ADR 0007): not the deployment's to weaken
        assertEquals("all", producer.get("acks"));
        assertEquals("true", producer.get("enable.idempotence"));
        assertEquals("chat-service-outbox", producer.get("client.id"));
    }

    private static OutboxSettings settings() {
        return new OutboxSettings() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public int batchSize() {
                return 200;
            }

            @Override
            public Duration pollInterval() {
                return Duration.ofMillis(500);
            }

            @Override
            public Duration linger() {
                return Duration.ofMillis(20);
            }

            @Override
            public Duration deliveryTimeout() {
                return Duration.ofSeconds(15);
            }

            @Override
            public Duration maxBackoff() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration degradedAfter() {
                return Duration.ofSeconds(30);
            }
        };
    }
}
