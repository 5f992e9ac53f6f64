package io.talkline.devstack.servers;

import java.time.Duration;
import java.util.List;

import io.talkline.devstack.Component;
import io.talkline.devstack.Infra;
import io.talkline.devstack.Probes;
import io.talkline.devstack.Processes;
import io.talkline.devstack.RunDir;

/** Redis is a system service here: started when installed but stopped, never stopped by devstack. */
public final class Redis implements Server {

    private final RunDir run;

    public Redis(RunDir run) {
        this.run = run;
    }

    @Override
    public Component component() {
        return Component.REDIS;
    }

    @Override
    public boolean healthy() {
        return Probes.redisPong(Infra.HOST, Infra.REDIS_PORT);
    }

    @Override
    public String missingPrerequisite() {
        return Processes.onPath("redis-server") || healthy() ? null
                : "Redis is not running on " + Infra.HOST + ":" + Infra.REDIS_PORT
                        + " and is not installed: apt-get install -y redis-server";
    }

    @Override
    public void start() {
        // the same flags the machine image uses: nothing persisted, loopback only
        Processes.run(List.of("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port",
                Integer.toString(Infra.REDIS_PORT), "--save", "", "--appendonly", "no", "--dir", run.dir("redis").toString(),
                "--logfile", run.log("redis").toString()), run.log("redis-start"), Duration.ofSeconds(20));
        Probes.await("Redis", Duration.ofSeconds(20), this::healthy);
    }
}
