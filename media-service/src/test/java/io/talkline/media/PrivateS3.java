package io.talkline.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.Awaitility;

import io.talkline.commons.testing.FreePorts;
import io.talkline.devstack.Infra;
import io.talkline.devstack.Probes;
import io.talkline.devstack.Processes;
import io.talkline.devstack.Repo;

/**
 * devstack's S3 server (S3Proxy on the file system) run for one test on a free port, with the
 * buckets devstack creates, so the test can take object storage away without touching the shared one.
 */
final class PrivateS3 {

    private static final String HOST = "127.0.0.1";

    private final int port = FreePorts.any();
    private Path config;
    private Process process;

    int port() {
        return port;
    }

    synchronized PrivateS3 start() {
        try {
            if (config == null) {
                Path home = Files.createTempDirectory(Path.of("target"), "private-s3-").toAbsolutePath();
                for (String bucket : Infra.BUCKETS) {
                    Files.createDirectories(home.resolve("data").resolve(bucket)); // a bucket is a directory
                }
                config = Files.writeString(home.resolve("s3proxy.properties"), """
                        s3proxy.endpoint=http://%s:%d
                        s3proxy.authorization=aws-v2-or-v4
                        s3proxy.identity=%s
                        s3proxy.credential=%s
                        jclouds.provider=filesystem
                        jclouds.filesystem.basedir=%s
                        """.formatted(HOST, port, Infra.S3_ACCESS_KEY, Infra.S3_SECRET_KEY, home.resolve("data")));
            }
            process = new ProcessBuilder(Processes.java(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                    Repo.s3proxyJar().toString(), "--properties", config.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // anonymous requests are refused (403): any HTTP answer means it serves
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> Probes.httpStatus("http://" + HOST + ":" + port + "/") > 0);
        return this;
    }

    synchronized void stop() {
        if (process != null) {
            process.destroyForcibly();
            process.onExit().join();
            process = null;
        }
    }
}
