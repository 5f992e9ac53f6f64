package io.talkline.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One directory for everything devstack runs: data, logs and the pid files of what it started itself. */
public record RunDir(Path root) {

    /** TALKLINE_RUN_DIR, else {@code .run} at the repository root (found from the build or the working directory). */
    public static RunDir shared() {
        String override = System.getenv("TALKLINE_RUN_DIR");
        Path root = override != null && !override.isBlank() ? Path.of(override) : Repo.root().resolve(".run");
        return new RunDir(root.toAbsolutePath().normalize());
    }

    public Path dir(String name) {
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public Path log(String name) {
        return dir("logs").resolve(name + ".log");
    }

    public Path pidFile(String name) {
        return dir("pids").resolve(name + ".pid");
    }
}
