package io.talkline.system.fuzz;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fuzzer: case {@code i} of seed {@code s} is drawn from {@code SplittableRandom} seeded by
 * (s, i) alone — which target (REST through the HTTP client, raw HTTP on a socket, /ws/chat,
 * /ws/signal) and every byte of the input — so any case replays by its index. Cases run one
 * after the other against the gateway; each answer is judged by {@link HttpOracle} or
 * {@link SocketProbe}.
 */
final class Fuzzer implements AutoCloseable {

    /** Where the gateway listens; {@code defaultLimitsUrl} (may be null) is a second gateway with api.md's limits. */
    record Target(String host, int port, String defaultLimitsUrl) {

        String url() {
            return "http://" + host + ":" + port;
        }
    }

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);
    private final Target target;
    private final long seed;
    private final Report report;
    private final RestCases rest;
    private final RawCases raw;
    private final FrameCases chatFrames;
    private final FrameCases signalFrames;
    private final SocketProbe chat;
    private final SocketProbe signal;
    private final HttpClient http1 = client(HttpClient.Version.HTTP_1_1);
    private final HttpClient http2 = client(HttpClient.Version.HTTP_2);
    private boolean verbose;

    Fuzzer(Target target, Fixtures world, long seed) {
        this.target = target;
        this.seed = seed;
        this.report = new Report(seed);
        this.rest = new RestCases(world, world::victim, target.defaultLimitsUrl() != null);
        this.raw = new RawCases(world, target.host() + ":" + target.port());
        this.chatFrames = FrameCases.chat(world);
        this.signalFrames = FrameCases.signal(world);
        String ws = "ws://" + target.host() + ":" + target.port();
        this.chat = new SocketProbe(URI.create(ws + "/ws/chat?access_token=" + world.alice.token()));
        this.signal = new SocketProbe(URI.create(ws + "/ws/signal?access_token=" + world.alice.token()));
    }

    /** Runs cases [0, count), or only the given ones (a replay, each printed in full) when there are any. */
    Report run(int count, List<Integer> only) {
        verbose = !only.isEmpty();
        if (verbose) {
            only.forEach(this::runCase);
        } else {
            for (int i = 0; i < count; i++) {
                runCase(i);
            }
        }
        return report;
    }

    static SplittableRandom random(long seed, int index) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    }

    private void runCase(int index) {
        SplittableRandom random = random(seed, index);
        int kind = random.nextInt(100);
        if (kind < 66) {
            httpCase(index, rest.next(random));
        } else if (kind < 72) {
            rawCase(index, raw.next(random));
        } else if (kind < 86) {
            frameCase(index, chatFrames.next(random), chat);
        } else {
            frameCase(index, signalFrames.next(random), signal);
        }
    }

    private void httpCase(int index, HttpCase c) {
        HttpRequest request;
        try {
            String base = c.defaultLimits() ? target.defaultLimitsUrl() : target.url();
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + c.target())).timeout(ANSWER_WITHIN)
                    .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(c.body()));
            c.headers().forEach(h -> builder.header(h.getKey(), h.getValue()));
            request = builder.build();
        } catch (IllegalArgumentException e) {
            report.harness(index, c.summary() + ": " + e.getMessage());
            return;
        }
        List<String> problems = new ArrayList<>();
        try {
            HttpResponse<byte[]> response = (c.http2() ? http2 : http1).send(request, HttpResponse.BodyHandlers.ofByteArray());
            Answer answer = new Answer(response.statusCode(), response.headers().map(), response.body(),
                    c.method().equals("HEAD"));
            report.answered(c.label(), answer.status());
            problems.addAll(HttpOracle.check(answer, c.validRequestId()));
            show(index, c.summary(), answer);
        } catch (HttpTimeoutException e) {
            problems.add("no answer within " + ANSWER_WITHIN.toSeconds() + " s");
        } catch (IOException e) {
            problems.add("connection closed without an answer (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        report.ran(c.label(), index, c.summary(), problems);
    }

    private void rawCase(int index, RawCases.RawCase c) {
        RawHttp.Outcome outcome = RawHttp.exchange(target.host(), target.port(), c.bytes(), false, 5_000);
        List<String> problems = new ArrayList<>();
        if (outcome.answer() == null) {
            // a body whose framing is broken may be answered by closing the connection (RFC 9112 §7.1):
            // nothing of it was read as a request, so nothing is owed but the close
            if (!c.label().equals(RawCases.BAD_FRAMING)) {
                problems.add(outcome.nothing());
            }
        } else {
            report.answered(c.label(), outcome.answer().status());
            problems.addAll(HttpOracle.check(outcome.answer(), null));
            show(index, c.summary(), outcome.answer());
        }
        report.ran(c.label(), index, c.summary(), problems);
    }

    private void frameCase(int index, FrameCases.FrameCase c, SocketProbe probe) {
        List<String> problems = probe.run(c);
        if (verbose) {
            System.out.printf("#%d %s%n  %s%n  → %s%n  %s%n", index, c.label(), c.summary(),
                    Report.clip(probe.lastSeen(), 2000), problems.isEmpty() ? "ok" : problems);
        }
        report.ran(c.label(), index, c.summary(), problems);
    }

    private void show(int index, String request, Answer answer) {
        if (verbose) {
            System.out.printf("#%d %s%n  → %d %s%n  %s%n", index, request, answer.status(), answer.headers(),
                    Report.clip(new String(answer.body(), StandardCharsets.UTF_8), 2000));
        }
    }

    private static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void close() {
        chat.close();
        signal.close();
    }
}
