package io.talkline.commons.events;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.config.Config;

/**
 * The {@code kafka.*} settings — bootstrap servers, TLS, SASL, whatever a deployment sets — as
 * Kafka client properties, read the way Quarkus' own Kafka clients read them: {@code
 * kafka.security.protocol} and the environment's {@code KAFKA_SECURITY_PROTOCOL} both become
 * {@code security.protocol}. The project's own producers (outbox relay, log shipping) start from
 * these and then set what their guarantees need. {@code bootstrap.servers} defaults to
 * 127.0.0.1:9092, the local broker.
 */
public final class KafkaClients {

    private static final String PREFIX = "kafka.";

    private KafkaClients() {
    }

    public static Map<String, Object> settings(Config config) {
        Map<String, Object> settings = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith(PREFIX) && !lower.startsWith("kafka_")) {
                continue;
            }
            String key = lower.substring(PREFIX.length()).replace('_', '.');
            // through the dotted name, so an environment variable wins over a properties file as usual
            config.getOptionalValue(PREFIX + key, String.class).or(() -> config.getOptionalValue(name, String.class))
                    .ifPresent(value -> settings.put(key, value));
        }
        settings.putIfAbsent("bootstrap.servers", "127.0.0.1:9092");
        return settings;
    }
}
