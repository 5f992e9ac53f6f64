package io.talkline.chat.moderation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.talkline.chat.config.ChatConfig;
import io.talkline.chat.moderation.ModerationViews.RulesView;
import io.talkline.chat.realtime.Fanout;
import io.talkline.commons.events.AuditLog;
import io.talkline.commons.realtime.RedisChannels;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The rule set in force, the same on every instance: one row in {@code moderation_rules} with a
 * version. The configured rules fill it until an admin replaces them through the API; from then on
 * the row wins. A replacement is announced on a Redis channel, and every instance also looks at
 * the version every {@code chat.moderation.rule-refresh}, so a change missed on the channel still
 * takes effect within seconds. Each instance keeps the compiled set in memory.
 */
@ApplicationScoped
public class RuleStore {

    static final String CHANNEL = "chat:moderation:rules";
    private static final int ROW_ATTEMPTS = 10;
    private static final TypeReference<List<Rule>> RULES = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ObjectMapper json;
    private final ChatConfig config;
    private final RedisChannels channels;
    private final Fanout fanout;
    private final AuditLog audit;
    private final Vertx vertx;
    private volatile RuleSet current = RuleSet.compile(0, List.of());
    private volatile RulesView view = new RulesView(List.of(), 0, "config", null, null);

    public RuleStore(EntityManager em, ObjectMapper json, ChatConfig config, RedisChannels channels, Fanout fanout,
            AuditLog audit, Vertx vertx) {
        this.em = em;
        this.json = json;
        this.config = config;
        this.channels = channels;
        this.fanout = fanout;
        this.audit = audit;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent started) {
        seed(write(configured()));
        reload();
        channels.subscribe(CHANNEL, (channel, message) -> Infrastructure.getDefaultWorkerPool().execute(this::refresh));
        long every = Math.max(200, config.moderation().ruleRefresh().toMillis());
        vertx.setPeriodic(every, id -> Infrastructure.getDefaultWorkerPool().execute(this::refresh));
    }

    /**
     * The first instance writes the configured rules; later ones refresh them unless an admin
     * replaced them.
     */
    private void seed(String text) {
        inRowTransaction(() -> {
            em.createNativeQuery("insert ignore into moderation_rules (id, version, source, rules, updated_at) "
                    + "values (1, 1, 'config', ?1, current_timestamp(3))").setParameter(1, text).executeUpdate();
            em.createNativeQuery("update moderation_rules set version = version + 1, rules = ?1, "
                    + "updated_at = current_timestamp(3), updated_by = null where id = 1 and source = 'config' "
                    + "and rules <> ?1").setParameter(1, text).executeUpdate();
        });
    }

    /**
     * A transaction on the one rules row. Instances starting together (and an admin's replacement
     * meeting them) race on it, and InnoDB may pick one as a deadlock victim: that one tries again.
     */
    private void inRowTransaction(Runnable work) {
        for (int attempt = 1;; attempt++) {
            try {
                QuarkusTransaction.requiringNew().run(work);
                return;
            } catch (RuntimeException e) { // a deadlock, a lock wait timeout, a connection lost meanwhile
                if (attempt == ROW_ATTEMPTS) {
                    throw e;
                }
                Log.infof("moderation rules row busy (%s); trying again", e.getMessage());
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(50, 250) * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The compiled rules every message is checked against now. */
    public RuleSet current() {
        return current;
    }

    public RulesView view() {
        return view;
    }

    /** An admin replaces the rules: checked (400 naming the field), stored, in force everywhere within seconds. */
    public RulesView replace(String adminId, List<Rule> rules) {
        RuleSet compiled = RuleSet.compile(0, rules);
        String text = write(compiled.rules());
        inRowTransaction(() -> {
            em.createNativeQuery("update moderation_rules set version = version + 1, source = 'admin', rules = ?1, "
                    + "updated_by = ?2, updated_at = current_timestamp(3) where id = 1").setParameter(1, text)
                    .setParameter(2, adminId).executeUpdate();
            Number version = (Number) em.createNativeQuery("select version from moderation_rules where id = 1")
                    .getSingleResult();
            audit.record("moderation.rules.replaced", adminId, "rules",
                    Map.of("version", version.longValue(), "rules", compiled.rules()));
        });
        reload();
        fanout.publish(CHANNEL, new JsonObject().put("version", current.version()));
        return view;
    }

    /** Reads the rules again when their version changed. */
    void refresh() {
        try {
            Number version = QuarkusTransaction.requiringNew().call(() -> (Number) em
                    .createNativeQuery("select version from moderation_rules where id = 1").getSingleResult());
            if (version.longValue() != current.version()) {
                reload();
            }
        } catch (RuntimeException e) {
            Log.warnf("moderation rules not refreshed (still version %d): %s", current.version(), e.toString());
        }
    }

    private synchronized void reload() {
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "select version, source, rules, updated_by, updated_at from moderation_rules where id = 1")
                .getSingleResult());
        long version = ((Number) row[0]).longValue();
        if (version == current.version() && version != 0) {
            return;
        }
        try {
            RuleSet compiled = RuleSet.compile(version, json.readValue((String) row[2], RULES));
            current = compiled;
            view = new RulesView(compiled.rules(), version, (String) row[1], (String) row[3], instant(row[4]));
            Log.infof("moderation rules version %d in force (%d rules)", version, compiled.rules().size());
        } catch (IOException | RuntimeException e) {
            // cannot happen for rules this code stored; a hand-edited row keeps the last good set
            Log.errorf("moderation rules version %d are unreadable, keeping version %d: %s", version, current.version(),
                    e.toString());
        }
    }

    private static Instant instant(Object value) {
        return value instanceof java.sql.Timestamp t ? t.toInstant() : value instanceof Instant i ? i : null;
    }

    /** The configured rules (chat.moderation.rules), checked: a wrong file stops the start, naming the field. */
    private List<Rule> configured() {
        String location = config.moderation().rules();
        try (InputStream in = location.startsWith("classpath:")
                ? RuleStore.class.getResourceAsStream("/" + location.substring("classpath:".length()).replaceFirst("^/", ""))
                : Files.newInputStream(Path.of(location))) {
            if (in == null) {
                throw new IllegalStateException("chat.moderation.rules: " + location + " not found");
            }
            JsonNode file = json.readTree(in);
            List<Rule> rules = json.convertValue(file.path("rules"), RULES);
            return RuleSet.compile(0, rules).rules();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("chat.moderation.rules: " + location + " is not a rules file: " + e.getMessage(),
                    e);
        } catch (io.talkline.commons.problem.ProblemException e) {
            throw new IllegalStateException("chat.moderation.rules: " + location + ": " + e.getMessage(), e);
        }
    }

    private String write(List<Rule> rules) {
        try {
            return json.writeValueAsString(rules);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
