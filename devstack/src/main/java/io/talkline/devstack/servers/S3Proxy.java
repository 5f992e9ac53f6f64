package io.talkline.devstack.servers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.talkline.devstack.Component;
import io.talkline.devstack.Infra;
import io.talkline.devstack.Probes;
import io.talkline.devstack.Processes;
import io.talkline.devstack.Repo;
import io.talkline.devstack.RunDir;

/** S3Proxy with the filesystem backend: the S3 API (SigV4 checked) that MinIO gives in production. */
public final class S3Proxy implements Server {

    private final RunDir run;
    private final Processes processes;

    public S3Proxy(RunDir run, Processes processes) {
        this.run = run;
        this.processes = processes;
    }

    @Override
    public Component component() {
        return Component.S3;
    }

    @Override
    public boolean healthy() {
        // anonymous requests are refused (403): any HTTP answer means the server is up
        return Probes.httpStatus(Infra.s3Endpoint() + "/") > 0;
    }

    @Override
    public void start() {
        Path home = run.dir("s3");
        Path config = Kafka.write(home.resolve("s3proxy.properties"), """
                s3proxy.endpoint=%s
                s3proxy.authorization=aws-v2-or-v4
                s3proxy.identity=%s
                s3proxy.credential=%s
                jclouds.provider=filesystem
                jclouds.filesystem.basedir=%s
                """.formatted(Infra.s3Endpoint(), Infra.S3_ACCESS_KEY, Infra.S3_SECRET_KEY, run.dir("s3/data")));
        Path jar = Repo.s3proxyJar();
        processes.start("s3proxy", List.of(Processes.java(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(), "--properties", config.toString()), Map.of(), home);
        Probes.await("S3Proxy (log: " + run.log("s3proxy") + ")", Duration.ofSeconds(60), this::healthy);
    }

    @Override
    public void init() {
        // with the filesystem backend a bucket is a directory under the base directory
        for (String bucket : Infra.BUCKETS) {
            run.dir("s3/data/" + bucket);
        }
    }
}
