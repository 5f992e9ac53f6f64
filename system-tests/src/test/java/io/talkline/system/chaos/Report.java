package io.talkline.system.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures of a chaos run: per fault (from its injection to the next one), and the store's verdict. */
final class Report {

    /** The stretch of the run that belongs to one fault (or to the calm before the first). */
    record Window(String fault, long from, long to, Fault.Recovery recovery, long wholeMillis) {
    }

    /** What the clients saw in one window. */
    record Figures(Window window, int sends, int attempts, int failedAttempts, int notAccepted, int refused, long p50,
            long p99, long max, long longestWithoutSocket, int rings, int ringsFailed) {

        double failedShare() {
            return attempts == 0 ? 0 : (double) failedAttempts / attempts;
        }
    }

    /** The store after the run, against what clients were told and what their sockets delivered. */
    record Verdict(int accepted, int lost, int duplicated, int seqGaps, int storedUnacknowledged, long missingDeliveries) {
    }

    private final Recorder recorder;
    final List<Figures> figures = new ArrayList<>();
    Verdict verdict;
    /** Where the CPU went in the calm window. */
    String calmCpu;

    Report(Recorder recorder) {
        this.recorder = recorder;
    }

    Figures add(Window window) {
        List<Recorder.Send> sends = recorder.sendsBetween(window.from(), window.to());
        List<Long> times = sends.stream().filter(Recorder.Send::accepted).map(s -> s.acceptedAt - s.startedAt).sorted()
                .toList();
        int attempts = sends.stream().mapToInt(s -> s.attempts).sum();
        int failed = sends.stream().mapToInt(s -> s.failedAttempts).sum();
        int notAccepted = (int) sends.stream().filter(s -> !s.accepted() && s.refused == null).count();
        int refused = (int) sends.stream().filter(s -> s.refused != null).count();
        long noSocket = recorder.outagesBetween(window.from(), window.to()).stream().mapToLong(Recorder.Outage::millis).max()
                .orElse(0);
        List<Recorder.Ring> rings = recorder.ringsBetween(window.from(), window.to());
        Figures result = new Figures(window, sends.size(), attempts, failed, notAccepted, refused, percentile(times, 0.50),
                percentile(times, 0.99), times.isEmpty() ? 0 : times.getLast(), noSocket, rings.size(),
                (int) rings.stream().filter(r -> !r.ok()).count());
        figures.add(result);
        return result;
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    String markdown(String title) {
        StringBuilder out = new StringBuilder("### ").append(title).append("\n\n");
        out.append("| fault | sends | failed attempts | not accepted in 30 s | accepted after p50 / p99 / max (ms) "
                + "| longest without a socket (ms) | rings failed | drain (ms) | restart to ready (ms) | whole again after (ms) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Figures f : figures) {
            Fault.Recovery recovery = f.window().recovery();
            out.append(String.format(Locale.ROOT,
                    "| %s | %d | %d of %d (%.2f %%) | %d | %d / %d / %d | %d | %d of %d | %s | %s | %s |%n",
                    f.window().fault(), f.sends(), f.failedAttempts(), f.attempts(), 100 * f.failedShare(), f.notAccepted(),
                    f.p50(), f.p99(), f.max(), f.longestWithoutSocket(), f.ringsFailed(), f.rings(),
                    dash(recovery.stopMillis()), dash(recovery.readyMillis()), dash(f.window().wholeMillis())));
        }
        if (calmCpu != null) {
            out.append("\nCalm window, CPU: ").append(calmCpu).append(".\n");
        }
        if (verdict != null) {
            out.append(String.format(Locale.ROOT,
                    "%nStore after the run: %d messages accepted; **lost %d, duplicated %d, seq gaps %d**; "
                            + "%d stored but never acknowledged (their client gave up); **deliveries missing after resync: %d**.%n",
                    verdict.accepted(), verdict.lost(), verdict.duplicated(), verdict.seqGaps(), verdict.storedUnacknowledged(),
                    verdict.missingDeliveries()));
        }
        return out.toString();
    }

    private static String dash(long millis) {
        return millis < 0 ? "—" : Long.toString(millis);
    }
}
