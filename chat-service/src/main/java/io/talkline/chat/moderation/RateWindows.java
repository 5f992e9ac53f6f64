package io.talkline.chat.moderation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.RedisDataSource;
import io.talkline.chat.message.MessageView;
import io.vertx.mutiny.redis.client.Response;

/**
 * The flood and repeat rules, which need a sender's recent messages: kept in Redis sorted sets
 * (shared by every instance, since one sender's rooms are spread over partitions and so over
 * instances), checked for a whole batch of messages in one script run ({@code windows.lua}).
 */
@ApplicationScoped
public class RateWindows {

    private static final String PREFIX = "chat:moderation:";

    /** One message (with its normalised text, written together) against one flood or repeat rule. */
    public record Check(RuleSet.Window window, MessageView message, String collapsed, boolean flood) {
    }

    private final RedisDataSource redis;
    private final String script;
    private volatile String sha;

    public RateWindows(RedisDataSource redis) {
        this.redis = redis;
        try (InputStream in = RateWindows.class.getResourceAsStream("/moderation/windows.lua")) {
            this.script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("moderation/windows.lua missing from the classpath", e);
        }
    }

    /** The checks a new message needs: every flood rule, and every repeat rule its body is long enough for. */
    public static List<Check> checks(RuleSet rules, MessageView message, NormalizedText text) {
        List<Check> checks = new ArrayList<>();
        for (RuleSet.Window flood : rules.floods()) {
            checks.add(new Check(flood, message, null, true));
        }
        if (!rules.repeats().isEmpty() && message.body() != null) {
            String collapsed = text.collapsed();
            for (RuleSet.Window repeat : rules.repeats()) {
                if (collapsed.length() >= repeat.minLength()) {
                    checks.add(new Check(repeat, message, collapsed, false));
                }
            }
        }
        return checks;
    }

    /** Which checks hit, in order; blocking (one round trip to Redis). */
    public boolean[] run(List<Check> checks) {
        boolean[] hits = new boolean[checks.size()];
        if (checks.isEmpty()) {
            return hits;
        }
        List<String> args = new ArrayList<>(checks.size() * 7 + 2);
        args.add(null);
        args.add("0");
        for (Check check : checks) {
            MessageView m = check.message();
            String rule = check.window().rule().id();
            if (check.flood()) {
                String key = PREFIX + "flood:" + rule + ":" + m.roomId() + ":" + m.senderId();
                args.addAll(List.of("flood", key, key + ":tripped", m.id()));
            } else {
                String key = PREFIX + "repeat:" + rule + ":" + m.senderId() + ":" + digest(check.collapsed());
                args.addAll(List.of("repeat", key, key, m.roomId()));
            }
            args.add(Long.toString(m.createdAt().toEpochMilli()));
            args.add(Long.toString(check.window().windowMillis()));
            args.add(Integer.toString(check.window().limit()));
        }
        Response answer = eval(args);
        for (int i = 0; i < hits.length; i++) {
            hits[i] = answer.get(i).toInteger() == 1;
        }
        return hits;
    }

    private Response eval(List<String> args) {
        String loaded = sha;
        if (loaded == null) {
            loaded = redis.execute("SCRIPT", "LOAD", script).toString();
            sha = loaded;
        }
        args.set(0, loaded);
        try {
            return redis.execute("EVALSHA", args.toArray(String[]::new));
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) {
                throw e;
            }
            // Redis restarted or flushed its scripts: load it again
            sha = null;
            return eval(args);
        }
    }

    /** The body as the repeat rule compares it (normalised, so small disguises are the same text). */
    static String digest(String collapsed) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(collapsed.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
