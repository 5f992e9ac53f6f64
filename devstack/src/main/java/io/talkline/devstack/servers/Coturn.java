package io.talkline.devstack.servers;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.talkline.devstack.Component;
import io.talkline.devstack.Infra;
import io.talkline.devstack.Probes;
import io.talkline.devstack.Processes;
import io.talkline.devstack.RunDir;

/** coturn (apt) with TURN REST API credentials (use-auth-secret), loopback only. */
public final class Coturn implements Server {

    private final RunDir run;
    private final Processes processes;

    public Coturn(RunDir run, Processes processes) {
        this.run = run;
        this.processes = processes;
    }

    @Override
    public Component component() {
        return Component.TURN;
    }

    @Override
    public boolean healthy() {
        return Probes.tcpOpen(Infra.HOST, Infra.TURN_PORT);
    }

    @Override
    public String missingPrerequisite() {
        return Processes.onPath("turnserver") ? null : "coturn is not installed: apt-get install -y coturn";
    }

    @Override
    public void start() {
        var home = run.dir("turn");
        processes.start("coturn", List.of("turnserver", "-n", "--no-cli", "--no-tls", "--no-dtls",
                "--listening-ip", Infra.HOST, "--relay-ip", Infra.HOST, "--listening-port", Integer.toString(Infra.TURN_PORT),
                "--min-port", Integer.toString(Infra.TURN_RELAY_MIN_PORT), "--max-port",
                Integer.toString(Infra.TURN_RELAY_MAX_PORT),
                "--realm", Infra.TURN_REALM, "--use-auth-secret", "--static-auth-secret", Infra.TURN_SECRET,
                "--fingerprint", "--allow-loopback-peers", "--no-multicast-peers", "--userdb",
                home.resolve("turndb").toString(), "--pidfile", home.resolve("turnserver.pid").toString(),
                "--log-file", "stdout", "--simple-log"), Map.of(), home);
        Probes.await("coturn (log: " + run.log("coturn") + ")", Duration.ofSeconds(20), this::healthy);
    }
}
