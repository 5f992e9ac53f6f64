package io.talkline.commons.logs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.talkline.commons.requestid.RequestIdFilter;
import io.talkline.commons.requestid.RequestIds;

/**
 * Ships log records to Kafka without ever holding up the thread that logs: {@link #doPublish}
 * only copies the record into a {@link ShippedLog} and offers it to a bounded queue (full: the
 * record is dropped and counted). One daemon thread drains the queue into its own producer, made
 * on that thread when the first record arrives, so a service without a reachable Kafka starts as
 * fast as ever. While Kafka is away, records are dropped and counted, never retried, and a failed
 * send pauses shipping for {@link #AWAY_PAUSE} so the queue drains instead of waiting on metadata.
 * <p>
 * The Kafka client's own loggers and this package's are never shipped, and a thread that is
 * already inside this handler (or is the sender) is ignored: shipping cannot feed itself.
 */
public final class KafkaLogHandler extends ExtHandler {

    /** Where and as whom records are shipped; {@code client}: the Kafka client settings (KafkaClients). */
    public record Settings(Map<String, Object> client, String topic, String service, String instance, Level level,
            int queueCapacity, boolean failedRequests, int failedRequestsPerSecond) {

        public Settings(String bootstrapServers, String topic, String service, String instance, Level level,
                int queueCapacity, boolean failedRequests, int failedRequestsPerSecond) {
            this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, service, instance, level,
                    queueCapacity, failedRequests, failedRequestsPerSecond);
        }

        public Settings(String bootstrapServers, String topic, String service, String instance, Level level,
                int queueCapacity, boolean failedRequests) {
            this(bootstrapServers, topic, service, instance, level, queueCapacity, failedRequests, 50);
        }

        public Settings(String bootstrapServers, String topic, String service, String instance, Level level,
                int queueCapacity) {
            this(bootstrapServers, topic, service, instance, level, queueCapacity, false);
        }
    }

    /** After a send failed for want of a broker, records are dropped for this long before the next try. */
    static final Duration AWAY_PAUSE = Duration.ofSeconds(5);
    /** Longest a send waits for topic metadata or buffer space: the sender stays responsive. */
    static final int MAX_BLOCK_MS = 1000;

    private static final ThreadLocal<Boolean> INSIDE = new ThreadLocal<>();
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Settings settings;
    private final BlockingQueue<ShippedLog> queue;
    private final LongAdder shipped = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder throttled = new LongAdder();
    /** Failed requests' access lines pass at most at this rate: a flood of 401s or 429s is not a flood of records. */
    private final Gate failedRequests;
    private final Thread sender;
    private volatile boolean closing;
    private volatile long deadlineNanos;
    /** Records are dropped until then (System.nanoTime(); compared by difference, as its values may be negative). */
    private volatile long awayUntilNanos = System.nanoTime();

    public KafkaLogHandler(Settings settings) {
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.failedRequests = new Gate(settings.failedRequestsPerSecond());
        // failed requests' access lines are INFO: let INFO in, and sort by category in doPublish
        setLevel(settings.failedRequests() && settings.level().intValue() > Level.INFO.intValue() ? Level.INFO
                : settings.level());
        this.sender = Thread.ofPlatform().daemon().name("log-shipper").unstarted(this::drain);
        sender.start();
    }

    @Override
    protected void doPublish(ExtLogRecord record) {
        if (INSIDE.get() != null || ignored(record.getLoggerName()) || !wanted(record)) {
            return;
        }
        if (RequestIdFilter.FAILED_ACCESS.equals(record.getLoggerName())
                && record.getLevel().intValue() < settings.level().intValue() && !failedRequests.pass()) {
            throttled.increment();
            return;
        }
        INSIDE.set(Boolean.TRUE);
        try {
            if (closing || !queue.offer(ShippedLog.of(record, settings.service(), settings.instance()))) {
                dropped.increment();
            }
        } finally {
            INSIDE.remove();
        }
    }

    private boolean wanted(ExtLogRecord record) {
        return record.getLevel().intValue() >= settings.level().intValue()
                || settings.failedRequests() && RequestIdFilter.FAILED_ACCESS.equals(record.getLoggerName());
    }

    private static boolean ignored(String logger) {
        return logger != null && (logger.startsWith("org.apache.kafka") || logger.startsWith("io.talkline.commons.logs"));
    }

    /** Records acknowledged by Kafka. */
    public long shipped() {
        return shipped.sum();
    }

    /** Records lost: queue full, Kafka away or refusing, or still waiting when the handler closed. */
    /** Failed requests' access lines left out over {@code failedRequestsPerSecond}. */
    public long throttled() {
        return throttled.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    /**
     * Stops taking records, ships what waits for at most {@code budget} and stops the sender;
     * whatever is left then counts as dropped. Returns within the budget plus one send's
     * metadata wait ({@link #MAX_BLOCK_MS}).
     */
    public void close(Duration budget) {
        if (closing) {
            return;
        }
        deadlineNanos = System.nanoTime() + budget.toNanos();
        closing = true;
        try {
            sender.join(budget.plusMillis(MAX_BLOCK_MS + 500));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    @Override
    public void flush() {
        // records leave through the sender alone; close(budget) is the bounded flush
    }

    private void drain() {
        INSIDE.set(Boolean.TRUE); // whatever this thread logs (Kafka, Jackson) is never shipped
        Producer<String, String> producer = null;
        try {
            while (!closing || (!queue.isEmpty() && System.nanoTime() - deadlineNanos < 0)) {
                ShippedLog log = queue.poll(100, TimeUnit.MILLISECONDS);
                if (log == null) {
                    continue;
                }
                if (System.nanoTime() - awayUntilNanos < 0) {
                    dropped.increment();
                    continue;
                }
                if (producer == null) {
                    producer = producer();
                    if (producer == null) {
                        dropped.increment();
                        continue;
                    }
                }
                send(producer, log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dropped.add(queue.size());
            queue.clear();
            if (producer != null) {
                // unacknowledged records fail their callbacks here, and count as dropped
                long left = closing ? Math.max(0, deadlineNanos - System.nanoTime()) : 0;
                producer.close(Duration.ofNanos(left));
            }
        }
    }

    private Producer<String, String> producer() {
        Properties config = new Properties();
        config.putAll(settings.client()); // servers, TLS, SASL; then what shipping logs needs
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "log-shipper-" + settings.service());
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 4 * 1024 * 1024);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5000);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try {
            return new KafkaProducer<>(config);
        } catch (RuntimeException e) {
            // an unresolvable bootstrap address, say: try again after the pause
            awayUntilNanos = System.nanoTime() + AWAY_PAUSE.toNanos();
            return null;
        }
    }

    private void send(Producer<String, String> producer, ShippedLog log) {
        ProducerRecord<String, String> record;
        try {
            record = new ProducerRecord<>(settings.topic(), log.service(), JSON.writeValueAsString(log));
        } catch (Exception e) {
            dropped.increment();
            return;
        }
        if (log.requestId() != null) {
            // as EventRecords does: consumers route by request id without parsing the value
            record.headers().add(RequestIds.HEADER, log.requestId().getBytes(StandardCharsets.UTF_8));
        }
        try {
            producer.send(record, (metadata, failure) -> {
                if (failure == null) {
                    shipped.increment();
                    return;
                }
                dropped.increment();
                if (failure instanceof RetriableException) {
                    awayUntilNanos = System.nanoTime() + AWAY_PAUSE.toNanos();
                }
            });
        } catch (RuntimeException e) {
            dropped.increment();
        }
    }

    /** A token bucket of {@code perSecond} tokens, holding at most one second's worth. */
    static final class Gate {
        private final double perNano;
        private final double most;
        private double tokens;
        private long last = System.nanoTime();

        Gate(int perSecond) {
            this.perNano = perSecond / 1e9;
            this.most = perSecond;
            this.tokens = perSecond;
        }

        synchronized boolean pass() {
            long now = System.nanoTime();
            tokens = Math.min(most, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
