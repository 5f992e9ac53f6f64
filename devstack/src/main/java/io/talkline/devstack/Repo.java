package io.talkline.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Where the checkout and the server jars are; the build writes both into devstack.properties. */
public final class Repo {

    private static final Properties BUILD = load();

    private Repo() {
    }

    public static Path root() {
        String fromBuild = BUILD.getProperty("repoRoot");
        if (fromBuild != null && Files.isDirectory(Path.of(fromBuild, "devstack"))) {
            return Path.of(fromBuild).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("devstack/pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("Cannot find the repository root (a folder with devstack/pom.xml)");
    }

    /** The jars of the servers devstack runs (Kafka, mongo-java-server, S3Proxy), copied there by the build. */
    public static Path serverLib() {
        Path lib = Path.of(BUILD.getProperty("serverLib", root().resolve("devstack/target/server-lib").toString()));
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: build devstack first (mvn -pl devstack install)");
        }
        return lib;
    }

    public static Path s3proxyJar() {
        return Path.of(BUILD.getProperty("s3proxyJar", root().resolve("devstack/target/s3proxy/s3proxy.jar").toString()));
    }

    /** devstack's own classes, for servers whose main lives here (the Mongo wire server). */
    public static Path devstackClasses() {
        return Path.of(BUILD.getProperty("classes", root().resolve("devstack/target/classes").toString()));
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = Repo.class.getResourceAsStream("/devstack.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
