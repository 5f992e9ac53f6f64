import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * audit-service ingestion (BENCHMARKS.md): a burst of audit events put on audit.events.v1 as fast
 * as a producer can, then a steady open-loop rate; how fast audit-service stores them (its
 * talkline_audit_stored_total counter), how long its lag takes to reach zero after the burst, and
 * its CPU time per thousand events. Classpath: devstack's server-lib (kafka-clients).
 * java -cp 'devstack/target/server-lib/*' bench/AuditIngest.java BOOTSTRAP AUDIT_URL PID_FILE BURST RATE SECONDS
 */
public class AuditIngest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Pattern STORED = Pattern.compile("talkline_audit_stored_total\\{[^}]*collection=\"audit_events\"[^}]*\\} ([0-9.eE+]+)");
    static final Pattern DUPLICATES = Pattern.compile("talkline_audit_duplicates_total\\{[^}]*collection=\"audit_events\"[^}]*\\} ([0-9.eE+]+)");

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String audit = args[1];
        long pid = Long.parseLong(Files.readString(Path.of(args[2])).trim());
        int burst = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);

        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            // warm-up: a small batch, so the first figures are not the consumer's first poll
            send(producer, 2000);
            producer.flush();
            awaitStored(audit, stored(audit), 0, 60_000);

            System.out.printf("burst of %,d events%n", burst);
            double before = stored(audit);
            long cpuBefore = cpu(pid);
            long start = System.nanoTime();
            send(producer, burst);
            producer.flush();
            long produced = System.nanoTime();
            long done = awaitStored(audit, before, burst, 120_000);
            long cpu = cpu(pid) - cpuBefore;
            double total = (done - start) / 1e9;
            System.out.printf("  produced in %.2f s (%,.0f events/s offered)%n", (produced - start) / 1e9, burst / ((produced - start) / 1e9));
            System.out.printf("  stored in %.2f s: %,.0f events/s; lag back to zero %.2f s after the burst ended%n", total,
                    burst / total, (done - produced) / 1e9);
            System.out.printf("  audit-service CPU: %.1f ms per 1,000 events%n", cpu * 10.0 / (burst / 1000.0));
            System.out.printf("  duplicates refused so far: %.0f%n", counter(audit, DUPLICATES));

            System.out.printf("steady %,d events/s for %d s%n", rate, seconds);
            before = stored(audit);
            cpuBefore = cpu(pid);
            long t0 = System.nanoTime();
            long sent = 0;
            double worstLag = 0;
            for (int second = 1; second <= seconds; second++) {
                long due = t0 + second * 1_000_000_000L;
                while (System.nanoTime() < due) {
                    long shouldHave = (long) ((System.nanoTime() - t0) / 1e9 * rate);
                    if (sent < shouldHave) {
                        send(producer, (int) (shouldHave - sent));
                        sent = shouldHave;
                    } else {
                        Thread.sleep(1);
                    }
                }
                double lag = sent - (stored(audit) - before);
                worstLag = Math.max(worstLag, lag);
            }
            producer.flush();
            long end = System.nanoTime();
            long drained = awaitStored(audit, before, sent, 120_000);
            cpu = cpu(pid) - cpuBefore;
            System.out.printf("  %,d sent; worst lag seen at a second's end %,.0f events; lag zero %.2f s after the last send%n",
                    sent, worstLag, (drained - end) / 1e9);
            System.out.printf("  audit-service CPU: %.1f ms per 1,000 events (%.0f %% of a core)%n",
                    cpu * 10.0 / (sent / 1000.0), cpu * 10.0 / ((drained - t0) / 1e6) * 100);
        }
    }

    static void send(KafkaProducer<String, String> producer, int count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            String user = "bench-user-" + random.nextInt(1000);
            String value = "{\"id\":\"" + id + "\",\"type\":\"auth.login.failed\",\"version\":1,\"occurredAt\":\""
                    + Instant.now() + "\",\"requestId\":\"bench-" + id.substring(0, 8) + "\",\"actorId\":\"" + user
                    + "\",\"payload\":{\"service\":\"auth-service\",\"ip\":\"198.51.100." + random.nextInt(255)
                    + "\",\"userAgent\":\"bench/1.0\",\"data\":{\"username\":\"" + user + "\",\"reason\":\"password\"}}}";
            producer.send(new ProducerRecord<>("audit.events.v1", user, value));
        }
    }

    /** Waits until at least {@code count} more are stored than {@code before}; returns the nano time it saw it. */
    static long awaitStored(String audit, double before, long count, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (stored(audit) - before < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("audit-service stored " + (stored(audit) - before) + " of " + count);
            }
            Thread.sleep(20);
        }
        return System.nanoTime();
    }

    static double stored(String audit) throws Exception {
        return counter(audit, STORED);
    }

    static double counter(String audit, Pattern pattern) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(audit + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        Matcher m = pattern.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** user + system ticks (1/100 s) of the process. */
    static long cpu(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
