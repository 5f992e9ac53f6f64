package io.talkline.system.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a run did per endpoint or frame kind, and every failure with the index that replays it. */
final class Report {

    /** One failing case: its index, what was sent, everything that was wrong with the answer. */
    record Failure(int index, String label, String request, String problem) {
    }

    /** Cases, answers by status class, and failures of one endpoint or frame kind. */
    private static final class Tally {
        int cases;
        final int[] byClass = new int[6];
        int failures;
    }

    private final long seed;
    private final Map<String, Tally> tallies = new TreeMap<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<String> harness = new ArrayList<>();

    Report(long seed) {
        this.seed = seed;
    }

    synchronized void answered(String label, int status) {
        tally(label).byClass[Math.min(5, Math.max(0, status / 100))]++;
    }

    synchronized void ran(String label, int index, String request, List<String> problems) {
        Tally tally = tally(label);
        tally.cases++;
        if (!problems.isEmpty()) {
            tally.failures++;
            failures.add(new Failure(index, label, request, String.join("; ", problems)));
        }
    }

    /** A case the fuzzer could not even send (its own bug, not the platform's). */
    synchronized void harness(int index, String what) {
        harness.add("#" + index + " " + what);
    }

    private Tally tally(String label) {
        return tallies.computeIfAbsent(label, k -> new Tally());
    }

    List<Failure> failures() {
        return failures;
    }

    List<String> harnessErrors() {
        return harness;
    }

    /** Distinct failures: one line per endpoint or frame kind and what was wrong, with its first index. */
    Map<String, List<Failure>> distinct() {
        Map<String, List<Failure>> groups = new LinkedHashMap<>();
        for (Failure failure : failures) {
            groups.computeIfAbsent(failure.label() + " → " + failure.problem().replaceAll("\\d{4,}", "N"),
                    k -> new ArrayList<>()).add(failure);
        }
        return groups;
    }

    String text() {
        StringBuilder out = new StringBuilder("\nfuzz seed=").append(seed).append('\n');
        out.append(String.format("%-78s %6s %5s %5s %5s %5s %5s%n", "endpoint / frame kind", "cases", "2xx", "3xx", "4xx",
                "5xx", "fail"));
        tallies.forEach((label, t) -> out.append(String.format("%-78s %6d %5d %5d %5d %5d %5d%n", clip(label, 78), t.cases,
                t.byClass[2], t.byClass[3], t.byClass[4], t.byClass[5], t.failures)));
        int cases = tallies.values().stream().mapToInt(t -> t.cases).sum();
        out.append(cases).append(" cases, ").append(failures.size()).append(" failing, ").append(distinct().size())
                .append(" distinct failures\n");
        distinct().forEach((key, group) -> {
            Failure first = group.getFirst();
            out.append(String.format("  [%d×] %s%n        first #%d: %s%n", group.size(), key, first.index(),
                    clip(first.request(), 300)));
        });
        if (!harness.isEmpty()) {
            out.append("not sent (fuzzer's own errors): ").append(harness).append('\n');
        }
        if (!failures.isEmpty()) {
            out.append("replay one: ").append(replay(seed, failures.getFirst().index())).append('\n');
        }
        return out.toString();
    }

    static String replay(long seed, int index) {
        return "./platform test -pl system-tests -Dtest=FuzzTest -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.seed=" + seed
                + " -Dfuzz.index=" + index;
    }

    /** Printable and short: control and invisible characters escaped, long text cut. */
    static String clip(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || Character.isSurrogate(c) || c >= 0x2000 && c <= 0x206f
                    || c == 0xfeff) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > max ? out + "…(" + text.length() + ")" : out.toString();
    }
}
