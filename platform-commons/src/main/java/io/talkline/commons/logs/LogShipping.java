package io.talkline.commons.logs;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.talkline.commons.events.Topics;

/**
 * Puts a {@link KafkaLogHandler} on the root logger when the service starts and takes it off at
 * shutdown, shipping what waits for at most {@link #CLOSE_BUDGET}. The handler's counts are the
 * {@code talkline_logs_shipped_total} and {@code talkline_logs_dropped_total} counters.
 */
@ApplicationScoped
public class LogShipping {

    static final Duration CLOSE_BUDGET = Duration.ofSeconds(2);
    private static final String KAFKA_PRODUCER = "org.apache.kafka.clients.producer.KafkaProducer";

    private final LogShipSettings settings;
    private final java.util.Map<String, Object> kafka;
    private final String service;
    private final String instance;
    private final MeterRegistry metrics;
    private KafkaLogHandler handler;

    LogShipping(LogShipSettings settings,
            org.eclipse.microprofile.config.Config config,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "unknown") String service,
            @ConfigProperty(name = "talkline.instance-id") Optional<String> instanceId, MeterRegistry metrics) {
        this.settings = settings;
        this.kafka = io.talkline.commons.events.KafkaClients.settings(config);
        this.service = service;
        this.instance = instance(instanceId);
        this.metrics = metrics;
    }

    /** The instance a record names: {@code talkline.instance-id} when set, else the host name. */
    public static String instance(Optional<String> instanceId) {
        return instanceId.filter(id -> !id.isBlank()).orElseGet(LogShipping::hostName);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    void start(@Observes StartupEvent event) {
        if (!settings.enabled()) {
            return;
        }
        if (!kafkaPresent()) {
            Log.warnf("log shipping is on but kafka-clients is not on the class path; logs stay local");
            return;
        }
        handler = new KafkaLogHandler(new KafkaLogHandler.Settings(kafka, Topics.LOGS, service, instance,
                Level.parse(settings.level()), settings.queue(), settings.failedRequests(),
                settings.failedRequestsRate()));
        FunctionCounter.builder("talkline.logs.shipped", handler, KafkaLogHandler::shipped)
                .description("Log records acknowledged by Kafka on " + Topics.LOGS).register(metrics);
        FunctionCounter.builder("talkline.logs.throttled", handler, KafkaLogHandler::throttled)
                .description("Failed requests' access lines left out over platform.logs.ship.failed-requests-rate")
                .register(metrics);
        FunctionCounter.builder("talkline.logs.dropped", handler, KafkaLogHandler::dropped)
                .description("Log records not shipped: queue full, Kafka away, or waiting at shutdown")
                .register(metrics);
        root().addHandler(handler);
        Log.infof("shipping %s and above to %s as %s/%s", settings.level(), Topics.LOGS, service, instance);
    }

    void stop(@Observes ShutdownEvent event) {
        if (handler != null) {
            root().removeHandler(handler);
            handler.close(CLOSE_BUDGET);
        }
    }

    private static Logger root() {
        return LogContext.getLogContext().getLogger("");
    }

    private static boolean kafkaPresent() {
        try {
            Class.forName(KAFKA_PRODUCER, false, LogShipping.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
