import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Moderation rule checking (BENCHMARKS.md): with 1,000 blocked words, 5 patterns, a links, a
 * flood and a repeat rule in force, a burst of message.created events is put on chat.messages.v1
 * as fast as a producer can; how fast the two chat-service instances check them (their
 * talkline_moderation_messages_checked_total counters), how long until they are all checked after
 * the burst ended, and the instances' CPU per 1,000 messages. 1 % of the messages carry a blocked
 * word. The rules in force before are put back at the end. Classpath: devstack's server-lib.
 * java -cp 'devstack/target/server-lib/*' bench/ModerationCheck.java BOOTSTRAP GATEWAY ADMIN PASSWORD BURST RUNS CHAT_URL=PID_FILE...
 */
public class ModerationCheck {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Pattern CHECKED = Pattern.compile("(?m)^talkline_moderation_messages_checked_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$");
    static final Random RANDOM = new Random(42);
    static final List<String> VOCABULARY = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String gateway = args[1];
        String token = login(gateway, args[2], args[3]);
        int burst = Integer.parseInt(args[4]);
        int runs = Integer.parseInt(args[5]);
        List<String> chats = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        for (int i = 6; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            chats.add(pair[0]);
            pids.add(Long.parseLong(Files.readString(Path.of(pair[1])).trim()));
        }
        for (int i = 0; i < 3000; i++) {
            VOCABULARY.add(word(3 + RANDOM.nextInt(8)));
        }
        String before = call(gateway, token, "GET", "/api/moderation/rules", null);
        String previous = before.substring(before.indexOf("\"rules\":") + 8, matchingBracket(before, before.indexOf("\"rules\":") + 8) + 1);
        awaitVersion(chats, token, version(call(gateway, token, "PUT", "/api/moderation/rules", rules())));
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            // warm-up, so that the first figures are not the consumers' first polls and cold code
            double start0 = checked(chats);
            send(producer, 20_000);
            producer.flush();
            awaitChecked(chats, start0, 20_000, 120_000);
            for (int run = 1; run <= runs; run++) {
                double checkedBefore = checked(chats);
                long cpuBefore = cpu(pids);
                long start = System.nanoTime();
                send(producer, burst);
                producer.flush();
                long produced = System.nanoTime();
                long done = awaitChecked(chats, checkedBefore, burst, 120_000);
                long cpu = cpu(pids) - cpuBefore;
                double total = (done - start) / 1e9;
                System.out.printf("run %d: burst of %,d messages produced in %.2f s (%,.0f/s offered); all checked in %.2f s: "
                        + "%,.0f messages/s; lag zero %.2f s after the burst ended; chat CPU %.1f ms per 1,000 messages%n",
                        run, burst, (produced - start) / 1e9, burst / ((produced - start) / 1e9), total, burst / total,
                        (done - produced) / 1e9, cpu * 10.0 / (burst / 1000.0));
            }
        } finally {
            call(gateway, token, "PUT", "/api/moderation/rules", "{\"rules\":" + previous + "}");
        }
    }

    static String rules() {
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            words.append(i == 0 ? "" : ",").append('"').append(blocked(i)).append('"');
        }
        StringBuilder patterns = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            patterns.append(i == 0 ? "" : ",").append("\"\\\\bpromo").append(i).append(" code \\\\d{4,}\"");
        }
        return "{\"rules\":[{\"id\":\"words\",\"kind\":\"words\",\"params\":{\"words\":[" + words + "],\"patterns\":["
                + patterns + "]},\"action\":\"flag\"},"
                + "{\"id\":\"links\",\"kind\":\"links\",\"params\":{\"maxLinks\":3,\"domains\":[\"spam.example\",\"scam.example\"]},\"action\":\"flag\"},"
                + "{\"id\":\"flood\",\"kind\":\"flood\",\"params\":{\"maxMessages\":30,\"windowSeconds\":10},\"action\":\"flag\"},"
                + "{\"id\":\"repeat\",\"kind\":\"repeat\",\"params\":{\"minRooms\":3,\"windowSeconds\":60,\"minLength\":20},\"action\":\"flag\"}]}";
    }

    static String blocked(int i) {
        return "zq" + Integer.toString(i * 7919 + 13, 36) + "x";
    }

    static String word(int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return word.toString();
    }

    /** message.created events of 5–30 words in 100 rooms by 1,000 senders; 1 % carry a blocked word in disguise. */
    static void send(KafkaProducer<String, String> producer, int count) {
        for (int i = 0; i < count; i++) {
            String room = new UUID(7, RANDOM.nextInt(100)).toString();
            String sender = new UUID(9, RANDOM.nextInt(1000)).toString();
            StringBuilder body = new StringBuilder();
            int words = 5 + RANDOM.nextInt(26);
            for (int w = 0; w < words; w++) {
                body.append(w == 0 ? "" : " ").append(VOCABULARY.get(RANDOM.nextInt(VOCABULARY.size())));
            }
            if (RANDOM.nextInt(100) == 0) {
                body.append(" ").append(String.join(".", blocked(RANDOM.nextInt(1000)).split("")));
            }
            String id = UUID.randomUUID().toString();
            Instant now = Instant.now();
            String message = "{\"id\":\"" + id + "\",\"roomId\":\"" + room + "\",\"seq\":" + (i + 1) + ",\"senderId\":\""
                    + sender + "\",\"clientMsgId\":\"b" + i + "\",\"type\":\"text\",\"body\":\"" + body
                    + "\",\"mediaId\":null,\"replyTo\":null,\"reactions\":{},\"createdAt\":\"" + now
                    + "\",\"editedAt\":null,\"deletedAt\":null,\"deletedReason\":null}";
            String event = "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"message.created\",\"version\":1,\"occurredAt\":\""
                    + now + "\",\"requestId\":null,\"actorId\":\"" + sender + "\",\"payload\":" + message + "}";
            producer.send(new ProducerRecord<>("chat.messages.v1", room, event));
        }
    }

    static long version(String rules) {
        Matcher m = Pattern.compile("\"version\"\\s*:\\s*(\\d+)").matcher(rules);
        if (!m.find()) {
            throw new IllegalStateException("no version in " + rules);
        }
        return Long.parseLong(m.group(1));
    }

    /** Until every chat instance applies this rules version (each hears of it on Redis, or within rule-refresh). */
    static void awaitVersion(List<String> chats, String token, long version) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        for (String chat : chats) {
            while (version(call(chat, token, "GET", "/api/moderation/rules", null)) != version) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(chat + " does not apply rules version " + version);
                }
                Thread.sleep(100);
            }
        }
    }

    static long awaitChecked(List<String> chats, double before, long count, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (checked(chats) - before < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("checked " + (checked(chats) - before) + " of " + count);
            }
            Thread.sleep(50); // a scrape costs the instances CPU too: not more often
        }
        return System.nanoTime();
    }

    static double checked(List<String> chats) throws Exception {
        double sum = 0;
        for (String chat : chats) {
            Matcher m = CHECKED.matcher(HTTP.send(HttpRequest.newBuilder(URI.create(chat + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body());
            sum += m.find() ? Double.parseDouble(m.group(1)) : 0;
        }
        return sum;
    }

    static String login(String gateway, String username, String password) throws Exception {
        String answer = call(gateway, null, "POST", "/api/auth/login",
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        Matcher m = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"").matcher(answer);
        if (!m.find()) {
            throw new IllegalStateException("login as " + username + " failed: " + answer);
        }
        return m.group(1);
    }

    static String call(String gateway, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static int matchingBracket(String text, int open) {
        int depth = 0;
        boolean string = false;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && text.charAt(i - 1) != '\\') {
                string = !string;
            } else if (!string && (c == '[' || c == '{')) {
                depth++;
            } else if (!string && (c == ']' || c == '}') && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("no rules array in " + text);
    }

    /** user + system ticks (1/100 s) of the processes. */
    static long cpu(List<Long> pids) throws Exception {
        long sum = 0;
        for (long pid : pids) {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            sum += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return sum;
    }
}
