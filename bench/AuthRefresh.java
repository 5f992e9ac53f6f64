import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refresh-token rotations per second against a running auth-service, JDK only:
 * java bench/AuthRefresh.java http://127.0.0.1:8081 [clients=32] [seconds=20] [logins=20]
 * Each client registers, logs in, then refreshes in a loop with the token it got last (as a real
 * client does: every refresh spends the previous token). Also times sequential logins.
 */
public class AuthRefresh {

    private static final Pattern REFRESH = Pattern.compile("\"refreshToken\"\\s*:\\s*\"([^\"]+)\"");
    private static final String PASSWORD = "benchmark password 1234";

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int logins = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();

        List<String> users = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String name = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            post(http, base + "/api/auth/register", "{\"username\":\"" + name + "\",\"email\":\"" + name
                    + "@bench.example\",\"password\":\"" + PASSWORD + "\"}", 201);
            users.add(name);
        }

        List<Long> loginNanos = new ArrayList<>();
        for (int i = 0; i < logins; i++) {
            long start = System.nanoTime();
            login(http, base, users.get(i % users.size()));
            loginNanos.add(System.nanoTime() - start);
        }
        Collections.sort(loginNanos);
        System.out.printf("login (sequential, %d): p50 %.1f ms, p90 %.1f ms%n", logins, ms(loginNanos, 0.5),
                ms(loginNanos, 0.9));

        // one login per client (bcrypt is deliberately slow); the chains of refresh tokens continue
        // from the warm-up into the measured run
        String[] tokens = new String[clients];
        for (int i = 0; i < clients; i++) {
            tokens[i] = login(http, base, users.get(i));
        }
        for (String phase : List.of("warm-up", "measured")) {
            AtomicLong done = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                String user = users.get(c);
                int client = c;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        String token = tokens[client];
                        while (System.nanoTime() < end) {
                            long start = System.nanoTime();
                            HttpResponse<String> response = http.send(json(base + "/api/auth/refresh",
                                    "{\"refreshToken\":\"" + token + "\"}"), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200) {
                                failed.incrementAndGet();
                                token = login(http, base, user);
                                continue;
                            }
                            latencies.add(System.nanoTime() - start);
                            done.incrementAndGet();
                            token = refreshToken(response.body());
                        }
                        tokens[client] = token;
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            System.out.printf("%s: %d clients, %d s: %,.0f refreshes/s, p50 %.1f ms, p99 %.1f ms, %d failed%n", phase,
                    clients, seconds, done.get() / (double) seconds, ms(sorted, 0.5), ms(sorted, 0.99), failed.get());
        }
    }

    private static String login(HttpClient http, String base, String user) throws Exception {
        return refreshToken(post(http, base + "/api/auth/login",
                "{\"username\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}", 200));
    }

    private static String post(HttpClient http, String url, String body, int expected) throws Exception {
        HttpResponse<String> response = http.send(json(url, body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(url + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static HttpRequest json(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String refreshToken(String body) {
        Matcher m = REFRESH.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no refresh token in " + body);
        }
        return m.group(1);
    }

    private static double ms(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size())) / 1e6;
    }
}
