package io.talkline.devstack.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import io.talkline.devstack.Component;
import io.talkline.devstack.Infra;
import io.talkline.devstack.Probes;
import io.talkline.devstack.Processes;
import io.talkline.devstack.Repo;
import io.talkline.devstack.RunDir;

/** Apache Kafka 4.1 (the client's version), one KRaft node acting as broker and controller. */
public final class Kafka implements Server {

    private static final List<String> JVM = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Djava.awt.headless=true");
    private final RunDir run;
    private final Processes processes;

    public Kafka(RunDir run, Processes processes) {
        this.run = run;
        this.processes = processes;
    }

    @Override
    public Component component() {
        return Component.KAFKA;
    }

    @Override
    public boolean healthy() {
        if (!Probes.tcpOpen(Infra.HOST, Infra.KAFKA_PORT)) {
            return false;
        }
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void start() {
        Path home = run.dir("kafka");
        Path config = writeConfig(home);
        Path log4j = writeLog4j(home);
        String cp = Processes.classpath(Repo.serverLib().resolve("*"));
        if (!Files.exists(home.resolve("data/meta.properties"))) {
            List<String> format = command(cp, log4j, "kafka.tools.StorageTool", "format", "-t",
                    Uuid.randomUuid().toString(), "-c", config.toString());
            if (Processes.run(format, run.log("kafka"), Duration.ofSeconds(60)) != 0) {
                throw new IllegalStateException("kafka storage format failed, see " + run.log("kafka"));
            }
        }
        processes.start("kafka", command(cp, log4j, "kafka.Kafka", config.toString()), Map.of(), home);
        Probes.await("Kafka (log: " + run.log("kafka") + ")", Duration.ofSeconds(90), this::healthy);
    }

    @Override
    public void init() {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : Infra.TOPICS) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, Infra.TOPIC_PARTITIONS, (short) 1));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create Kafka topics", e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create Kafka topics", e);
        }
    }

    private static List<String> command(String cp, Path log4j, String main, String... args) {
        List<String> command = new ArrayList<>(List.of(Processes.java()));
        command.addAll(JVM);
        command.add("-Dlog4j2.configurationFile=" + log4j);
        command.addAll(List.of("-cp", cp, main));
        command.addAll(List.of(args));
        return command;
    }

    private static Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafkaBootstrap());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8000);
        properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return Admin.create(properties);
    }

    private static Path writeConfig(Path home) {
        String config = """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@%1$s:%3$d
                listeners=PLAINTEXT://%1$s:%2$d,CONTROLLER://%1$s:%3$d
                advertised.listeners=PLAINTEXT://%1$s:%2$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%4$s
                num.partitions=%5$d
                auto.create.topics.enable=false
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=3
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                num.network.threads=2
                num.io.threads=2
                log.retention.hours=24
                """.formatted(Infra.HOST, Infra.KAFKA_PORT, Infra.KAFKA_CONTROLLER_PORT, home.resolve("data"),
                Infra.TOPIC_PARTITIONS);
        return write(home.resolve("server.properties"), config);
    }

    private static Path writeLog4j(Path home) {
        return write(home.resolve("log4j2.properties"), """
                status = warn
                appender.console.type = Console
                appender.console.name = STDOUT
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = [%d] %p %m (%c)%n
                rootLogger.level = WARN
                rootLogger.appenderRef.stdout.ref = STDOUT
                logger.server.name = kafka.server.KafkaRaftServer
                logger.server.level = INFO
                """);
    }

    static Path write(Path file, String content) {
        try {
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
