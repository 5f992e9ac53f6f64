package io.talkline.devstack;

import java.util.List;

/**
 * Where the local infrastructure listens, and what devstack creates in it. The credentials are
 * development defaults for loopback-only servers (override them through the environment); no
 * deployment uses them.
 */
public final class Infra {

    public static final String HOST = "127.0.0.1";
    public static final int MARIADB_PORT = env("TALKLINE_MARIADB_PORT", 3306);
    public static final int REDIS_PORT = env("TALKLINE_REDIS_PORT", 6379);
    public static final int KAFKA_PORT = env("TALKLINE_KAFKA_PORT", 9092);
    public static final int KAFKA_CONTROLLER_PORT = env("TALKLINE_KAFKA_CONTROLLER_PORT", 9093);
    public static final int S3_PORT = env("TALKLINE_S3_PORT", 9000);
    public static final int MONGO_PORT = env("TALKLINE_MONGO_PORT", 27017);
    public static final int TURN_PORT = env("TALKLINE_TURN_PORT", 3478);
    public static final int TURN_RELAY_MIN_PORT = 49160;
    public static final int TURN_RELAY_MAX_PORT = 49260;

    /** DEV DEFAULTS — loopback only. */
    public static final String MARIADB_USER = envText("TALKLINE_MARIADB_USER", "root");
    public static final String MARIADB_PASSWORD = envText("TALKLINE_MARIADB_PASSWORD", "");
    public static final String S3_ACCESS_KEY = envText("TALKLINE_S3_ACCESS_KEY", "talkline-dev");
    public static final String S3_SECRET_KEY = envText("TALKLINE_S3_SECRET_KEY", "talkline-dev-secret");
    public static final String TURN_SECRET = envText("TALKLINE_TURN_SECRET", "talkline-dev-turn-secret");
    public static final String TURN_REALM = "talkline.local";

    /** One schema per service that keeps relational data (architecture.md). */
    public static final List<String> DATABASES = List.of("auth", "chat", "signaling", "media");
    public static final List<String> BUCKETS = List.of("talkline-media");
    public static final List<String> TOPICS = List.of("chat.messages.v1", "moderation.events.v1", "audit.events.v1",
            "calls.events.v1", "media.events.v1", "platform.logs.v1");
    public static final int TOPIC_PARTITIONS = 3;

    private Infra() {
    }

    public static String kafkaBootstrap() {
        return HOST + ":" + KAFKA_PORT;
    }

    public static String jdbcUrl(String database) {
        return "jdbc:mysql://" + HOST + ":" + MARIADB_PORT + "/" + database;
    }

    public static String s3Endpoint() {
        return "http://" + HOST + ":" + S3_PORT;
    }

    public static String mongoUri() {
        return "mongodb://" + HOST + ":" + MONGO_PORT;
    }

    private static int env(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    private static String envText(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
