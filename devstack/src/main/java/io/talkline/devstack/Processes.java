package io.talkline.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts server processes that outlive the launcher, and stops them again — but only those whose
 * pid file devstack wrote itself: what was already running is never touched. Each start is also
 * noted in a machine-wide registry (servers listen on fixed ports, so there is one of each per
 * machine), so that an outage test in one checkout can stop a server another checkout's devstack
 * started.
 */
public final class Processes {

    private final RunDir run;

    public Processes(RunDir run) {
        this.run = run;
    }

    /** Starts {@code command} detached, output appended to the named log, and records its pid. */
    public long start(String name, List<String> command, Map<String, String> env, Path workDir) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.log(name).toFile()))
                .redirectInput(new File("/dev/null"));
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            Files.writeString(run.pidFile(name), Long.toString(process.pid()));
            Files.writeString(registered(name), process.pid() + "\n" + run.root());
            return process.pid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command.getFirst(), e);
        }
    }

    /** The pid of a process devstack started under this name, when it is still alive. */
    public Optional<ProcessHandle> ours(String name) {
        Path pidFile = run.pidFile(name);
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (handle.isEmpty()) {
                Files.deleteIfExists(pidFile);
            }
            return handle;
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The process a devstack with another run directory started under this name, when it is still
     * alive and that run directory still names it (so a reused pid is never mistaken for it).
     */
    public Optional<StartedElsewhere> startedElsewhere(String name) {
        try {
            Path entry = registered(name);
            if (!Files.isRegularFile(entry)) {
                return Optional.empty();
            }
            String[] lines = Files.readString(entry).split("\n", 2);
            long pid = Long.parseLong(lines[0].trim());
            RunDir other = new RunDir(Path.of(lines[1].trim()));
            if (other.root().equals(run.root())) {
                return Optional.empty();
            }
            Optional<ProcessHandle> alive = new Processes(other).ours(name).filter(handle -> handle.pid() == pid);
            return alive.map(handle -> new StartedElsewhere(name, handle, other));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public record StartedElsewhere(String name, ProcessHandle process, RunDir runDir) {
    }

    /** Stops a server another checkout's devstack started; its pid file there goes with it. */
    public void stop(StartedElsewhere elsewhere, Duration grace) {
        terminate(elsewhere.process(), grace);
        try {
            Files.deleteIfExists(elsewhere.runDir().pidFile(elsewhere.name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path registered(String name) throws IOException {
        Path registry = Path.of(System.getProperty("java.io.tmpdir"), "talkline-devstack-" + System.getProperty("user.name"));
        Files.createDirectories(registry);
        return registry.resolve(name + ".pid");
    }

    /** SIGTERM, then SIGKILL after the grace period; returns whether something of ours was stopped. */
    public boolean stop(String name, Duration grace) {
        Optional<ProcessHandle> handle = ours(name);
        handle.ifPresent(process -> terminate(process, grace));
        try {
            Files.deleteIfExists(run.pidFile(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return handle.isPresent();
    }

    private static void terminate(ProcessHandle process, Duration grace) {
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception timeout) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    /** The java binary running this launcher: servers run on the same JDK. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    public static String classpath(Path... entries) {
        StringBuilder cp = new StringBuilder();
        for (Path entry : entries) {
            cp.append(cp.isEmpty() ? "" : File.pathSeparator).append(entry);
        }
        return cp.toString();
    }

    /** Runs a short command to completion; returns its exit code. */
    public static int run(List<String> command, Path log, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(new File("/dev/null")).start();
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", binary)) || Files.isExecutable(Path.of("/usr/bin", binary));
    }
}
