package io.talkline.system.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of every process on the machine, by what it is (a platform instance by its
 * {@code talkline.instance-id}, Kafka, the test's own JVM, MariaDB, …), read from /proc: where the
 * box's CPU goes while the load runs.
 */
record CpuSample(long at, Map<String, Long> ticks) {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    static CpuSample take() {
        Map<String, Long> ticks = new HashMap<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                    if (used > 0) {
                        ticks.merge(label(p, stat), used, Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new CpuSample(System.nanoTime(), ticks);
    }

    private static String label(Path process, String stat) throws IOException {
        String command = new String(Files.readAllBytes(process.resolve("cmdline"))).replace('\0', ' ');
        int instance = command.indexOf("-Dtalkline.instance-id=");
        if (instance >= 0) {
            String rest = command.substring(instance + "-Dtalkline.instance-id=".length());
            return rest.substring(0, rest.indexOf(' ') < 0 ? rest.length() : rest.indexOf(' '));
        }
        if (command.contains("kafka.Kafka")) {
            return "kafka";
        }
        if (command.contains("surefire")) {
            return "the load (test JVM)";
        }
        if (command.contains("s3proxy")) {
            return "s3proxy";
        }
        if (command.contains("MongoWire") || command.contains("mongo")) {
            return "mongo wire server";
        }
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** CPU per process kind between two samples, as % of one core, largest first, with the box's share of 2 cores. */
    static String between(CpuSample before, CpuSample after, int cores) {
        double seconds = (after.at - before.at) / 1e9;
        Map<String, Double> percent = new TreeMap<>();
        double total = 0;
        for (Map.Entry<String, Long> entry : after.ticks.entrySet()) {
            long used = entry.getValue() - before.ticks.getOrDefault(entry.getKey(), 0L);
            if (used > 0) {
                double share = 100 * used / TICKS_PER_SECOND / seconds;
                percent.put(entry.getKey(), share);
                total += share;
            }
        }
        StringBuilder out = new StringBuilder(
                String.format(Locale.ROOT, "box busy %.0f %% of %d cores over %.0f s:", total / cores,
                        cores, seconds));
        percent.entrySet().stream().sorted(Map.Entry.<String, Double> comparingByValue().reversed())
                .filter(e -> e.getValue() >= 1)
                .forEach(e -> out.append(String.format(Locale.ROOT, " %s %.0f %%,", e.getKey(), e.getValue())));
        out.setLength(out.length() - 1);
        return out.append(" (of one core)").toString();
    }
}
