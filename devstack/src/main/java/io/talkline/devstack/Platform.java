package io.talkline.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs the services of the platform as processes (JVM mode, the packaged fast-jar of each module):
 * two chat-service and two signaling-service instances, one of each other service, and the gateway
 * in front. Used by {@code ./platform up} and by the system tests (on other ports and run directory).
 */
public final class Platform {

    /** An instance property that is not a system property: JVM options for that instance alone. */
    public static final String JVM_OPTIONS = "talkline.jvm-options";

    /** One service process: its name, module, port and extra system properties. */
    public record Instance(String name, String module, int port, Map<String, String> properties) {

        public String url() {
            return "http://" + Infra.HOST + ":" + port;
        }
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("talkline.ready-timeout", 180));
    private final RunDir run;
    private final Processes processes;
    private final List<Instance> instances;

    public Platform(RunDir run, int gatewayPort) {
        this(run, gatewayPort, Map.of());
    }

    /** With extra system properties for the gateway (tests: their own rate-limit key space, …). */
    public Platform(RunDir run, int gatewayPort, Map<String, String> gatewayProperties) {
        this(run, gatewayPort, gatewayProperties, Map.of());
    }

    /** And system properties every instance gets (tests: tracing on, to a receiver of their own). */
    public Platform(RunDir run, int gatewayPort, Map<String, String> gatewayProperties,
            Map<String, String> everyInstance) {
        this.run = run;
        this.processes = new Processes(run);
        this.instances = layout(gatewayPort, gatewayProperties).stream().map(instance -> {
            Map<String, String> properties = new LinkedHashMap<>(everyInstance);
            properties.putAll(instance.properties());
            return new Instance(instance.name(), instance.module(), instance.port(), Map.copyOf(properties));
        }).toList();
    }

    /** Gateway on the base port, then auth +1, chat +2/+12, signaling +3/+13, media +4, audit +5. */
    public static List<Instance> layout(int base, Map<String, String> gatewayProperties) {
        List<Instance> services = List.of(
                instance("auth-service", "auth-service", base + 1),
                // chat asks media-service about a message's media (and auth-service to disable an
                // account for a moderator); media asks chat who is in a room
                new Instance("chat-service-1", "chat-service", base + 2, chatClients(base)),
                new Instance("chat-service-2", "chat-service", base + 12, chatClients(base)),
                // signaling asks chat-service who is in a room
                new Instance("signaling-service-1", "signaling-service", base + 3, chatClient(base)),
                new Instance("signaling-service-2", "signaling-service", base + 13, chatClient(base)),
                new Instance("media-service", "media-service", base + 4, chatClient(base)),
                instance("audit-service", "audit-service", base + 5));
        Map<String, String> upstreams = new LinkedHashMap<>(gatewayProperties);
        for (Instance service : services) {
            String key = "gateway.services." + service.module().replace("-service", "") + ".instances";
            upstreams.merge(key, service.url(), (a, b) -> a + "," + b);
        }
        List<Instance> all = new ArrayList<>(services);
        all.add(new Instance("gateway", "gateway", base, upstreams));
        return List.copyOf(all);
    }

    private static Map<String, String> chatClient(int base) {
        return Map.of("quarkus.rest-client.chat.url", "http://" + Infra.HOST + ":" + (base + 2));
    }

    private static Map<String, String> chatClients(int base) {
        return Map.of("quarkus.rest-client.media.url", "http://" + Infra.HOST + ":" + (base + 4),
                "quarkus.rest-client.auth.url", "http://" + Infra.HOST + ":" + (base + 1));
    }

    private static Instance instance(String name, String module, int port) {
        return new Instance(name, module, port, Map.of());
    }

    public List<Instance> instances() {
        return instances;
    }

    public Optional<Instance> instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** Starts every instance that is not already running and ready; waits until all are ready. */
    public void up() {
        awaitAotWriters();
        for (Instance instance : instances) {
            if (processes.ours(instance.name()).isPresent() && ready(instance)) {
                continue;
            }
            if (processes.ours(instance.name()).isEmpty() && Probes.tcpOpen(Infra.HOST, instance.port())) {
                throw new IllegalStateException("port " + instance.port() + " for " + instance.name()
                        + " is taken by a process devstack did not start");
            }
            if (processes.ours(instance.name()).isEmpty()) {
                start(instance);
            }
        }
        for (Instance instance : instances) {
            awaitReady(instance);
        }
    }

    /**
     * A dozen JVMs share the box: C1 only (ADR 0026), since C2 spent more CPU compiling for minutes
     * after every start than its faster code saved at the rates one machine serves.
     */
    public static final String JAVA_OPTS = "-XX:+UseSerialGC -Xmx384m -XX:TieredStopAtLevel=1";

    public void start(Instance instance) {
        Path jar = Repo.root().resolve(instance.module()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (mvn -DskipTests package)");
        }
        List<String> command = new ArrayList<>(List.of(Processes.java()));
        List<String> javaOptions = List.of(System.getenv().getOrDefault("TALKLINE_JAVA_OPTS", JAVA_OPTS).split("\\s+"));
        command.addAll(javaOptions);
        command.addAll(aotOptions(instance, jar, javaOptions));
        // the development credentials (loopback MariaDB, the local S3 and TURN secrets) exist only in
        // the dev, test and local profiles: a service started any other way must be given real ones
        command.add("-Dquarkus.profile=local");
        command.addAll(options(instance));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            // a restarted instance keeps its previous log next to the new one (what led to the restart)
            Path log = run.log(instance.name());
            if (Files.exists(log)) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".previous"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        processes.start(instance.name(), command, Map.of(), Repo.root().resolve(instance.module()));
    }

    /**
     * What makes a process this instance, whether packaged or in dev mode: its port, its name, the
     * auth-service whose keys it trusts, the services it calls, and its own properties.
     */
    List<String> options(Instance instance) {
        List<String> options = new ArrayList<>();
        options.add("-Dquarkus.http.port=" + instance.port());
        options.add("-Dquarkus.http.host=" + Infra.HOST);
        options.add("-Dtalkline.instance-id=" + instance.name());
        // every verifier (services and gateway) reads the signing keys of this layout's auth-service
        instances.stream().filter(i -> i.module().equals("auth-service")).findFirst().ifPresent(
                auth -> options.add("-Dplatform.auth.jwks-url=" + auth.url() + "/.well-known/jwks.json"));
        if (instance.module().equals("auth-service")) {
            options.add("-Dauth.signing.key-file=" + DevSecrets.authSigningKey(run.dir("secrets")));
        }
        instance.properties().forEach((key, value) -> {
            if (key.equals(JVM_OPTIONS)) {
                options.addAll(List.of(value.split("\\s+"))); // after the defaults: these win (-Xmx256m)
            } else {
                options.add("-D" + key + "=" + value);
            }
        });
        return options;
    }

    /**
     * {@code ./platform dev <module>}: stops the module's first instance, so that the module in
     * Quarkus dev mode takes its place (port and all) behind the gateway; returns the JVM options
     * dev mode runs with. The dev profile has the same development credentials as the local one.
     */
    public List<String> replaceForDevMode(String module) {
        Instance instance = instances.stream().filter(i -> i.module().equals(module)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no service named " + module + "; one of "
                        + instances.stream().map(Instance::module).distinct().toList()));
        awaitAotWriters();
        if (stop(instance)) {
            Devstack.log("stopped " + instance.name() + ": " + module + " in dev mode takes its place on port "
                    + instance.port() + " (./platform up brings the packaged one back)");
        }
        return options(instance);
    }

    /** Waits for instances that {@code ./platform down} left writing their AOT cache (ADR 0024). */
    private void awaitAotWriters() {
        for (Instance instance : instances) {
            processes.ours(instance.name() + AOT_WRITER).ifPresent(writer -> {
                Devstack.log("waiting for " + instance.name() + " to finish writing its AOT cache");
                try {
                    writer.onExit().get(3, java.util.concurrent.TimeUnit.MINUTES);
                } catch (Exception e) {
                    throw new IllegalStateException(instance.name() + " did not finish writing its AOT cache", e);
                }
            });
        }
    }

    /** The pid file name suffix of an instance that stopped serving and writes its AOT cache. */
    static final String AOT_WRITER = ".aot";

    public void awaitReady(Instance instance) {
        Probes.await(instance.name() + " (log: " + run.log(instance.name()) + ")", READY_TIMEOUT, () -> {
            if (processes.ours(instance.name()).isEmpty()) {
                throw new IllegalStateException(instance.name() + " exited; its log " + run.log(instance.name())
                        + " ends with:\n" + tail(run.log(instance.name()), 30));
            }
            return ready(instance);
        });
    }

    public boolean stop(Instance instance) {
        // an instance that records the AOT cache writes it as it exits: a child JVM assembles it (~20 s)
        Path training = trainingMarker(instance);
        boolean writes = Files.exists(training);
        boolean stopped = processes.stop(instance.name(), Duration.ofSeconds(writes ? 180 : 20));
        delete(training);
        return stopped;
    }

    /**
     * JDK 25's AOT cache (ADR 0024): classes loaded and linked, and method profiles, from an earlier
     * run, so a start does a fraction of the work (chat-service ready in 5.4 s instead of 9.0 s on an
     * idle box). The first instance of a module started after a build with these JVM flags records
     * the cache of these flags ({@link #aotCacheName}), written next to the jar when that instance
     * stops; every later start with the same flags uses it while it is newer than the jar.
     * {@code TALKLINE_AOT=off} turns it off.
     */
    List<String> aotOptions(Instance instance, Path jar, List<String> javaOptions) {
        Path cache = jar.resolveSibling(aotCacheName(javaOptions, instance.properties().get(JVM_OPTIONS)));
        Path training = trainingMarker(instance);
        delete(training); // a marker left by a killed recorder
        if ("off".equals(System.getenv("TALKLINE_AOT"))) {
            return List.of();
        }
        try {
            if (Files.isRegularFile(cache)
                    && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) > 0) {
                return List.of("-XX:AOTCache=" + cache);
            }
            boolean first = instances.stream().filter(i -> i.module().equals(instance.module())).findFirst()
                    .orElseThrow() == instance;
            if (!first || Files.exists(cache.resolveSibling(cache.getFileName() + ".config"))) {
                return List.of(); // one recorder per module (its twin, or another run's, records it)
            }
            Files.createDirectories(training.getParent());
            Files.writeString(training, cache.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return List.of("-XX:AOTCacheOutput=" + cache);
    }

    /**
     * One cache per set of JVM flags, named by a digest of them. The JVM refuses a cache recorded
     * with another collector or heap layout, but takes one recorded with C1 only
     * ({@code -XX:TieredStopAtLevel=1}, the default here) in a JVM with C2: its method profiles
     * then steer C2, and chat-service used about 1.5 times the CPU under the send-path load that it
     * used without a cache (BENCHMARKS.md, send path, "fourth sitting").
     */
    static String aotCacheName(List<String> javaOptions, String instanceOptions) {
        String flags = String.join(" ", javaOptions) + (instanceOptions == null ? "" : " " + instanceOptions);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(flags.trim().getBytes(StandardCharsets.UTF_8));
            return "app-" + HexFormat.of().formatHex(digest, 0, 4) + ".aot";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether an instance records an AOT cache now (so a restart after this platform stops starts faster). */
    public boolean recordsAotCache() {
        return instances.stream().anyMatch(instance -> Files.exists(trainingMarker(instance)));
    }

    private Path trainingMarker(Instance instance) {
        return run.dir("aot-recording").resolve(instance.name());
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Kills an instance at once (SIGKILL), as a crash would. */
    public void kill(Instance instance) {
        processes.ours(instance.name()).ifPresent(process -> {
            process.destroyForcibly();
            process.onExit().join();
        });
        processes.stop(instance.name(), Duration.ZERO);
    }

    public void down() {
        // gateway first, so nothing routes to a service that is going away; then the rest together
        List<Instance> services = new ArrayList<>(instances);
        Instance gateway = services.removeLast();
        stopAndLog(gateway);
        services.parallelStream().forEach(this::stopAndLog);
    }

    private void stopAndLog(Instance instance) {
        if (stop(instance)) {
            Devstack.log("stopped " + instance.name());
        }
    }

    public Path log(Instance instance) {
        return run.log(instance.name());
    }

    public static boolean ready(Instance instance) {
        return Probes.httpStatus(instance.url() + "/q/health/ready") == 200;
    }

    static String tail(Path file, int lines) {
        try (Stream<String> all = Files.lines(file)) {
            List<String> list = all.toList();
            return String.join("\n", list.subList(Math.max(0, list.size() - lines), list.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
