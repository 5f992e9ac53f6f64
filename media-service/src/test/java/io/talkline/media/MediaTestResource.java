package io.talkline.media;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.talkline.commons.testing.TestDatabases;
import io.talkline.devstack.Infra;

/**
 * A schema and a consumer group of this run's own, and small limits and short timers so that
 * every limit and expiry shows within a test.
 */
public class MediaTestResource implements QuarkusTestResourceLifecycleManager {

    /** Limits the tests upload against. */
    public static final long IMAGE_LIMIT = 1 << 20;
    public static final long FILE_LIMIT = 12L << 20;
    public static final long PART = 5L << 20;

    private String database;

    @Override
    public Map<String, String> start() {
        database = TestDatabases.create("media_test");
        return Map.ofEntries(Map.entry("quarkus.datasource.jdbc.url", Infra.jdbcUrl(database)),
                Map.entry("media.limits.image", Long.toString(IMAGE_LIMIT)),
                Map.entry("media.limits.voice", Long.toString(IMAGE_LIMIT)),
                Map.entry("media.limits.file", Long.toString(FILE_LIMIT)),
                Map.entry("media.part-size", Long.toString(PART)),
                // long enough to use a URL at once, short enough to see one expire
                Map.entry("media.download-ttl", "3s"),
                Map.entry("media.membership-cache", "200ms"),
                Map.entry("mp.messaging.incoming.chat-messages.group.id", "media-test-" + Long.toHexString(System.nanoTime())),
                Map.entry("mp.messaging.incoming.chat-messages.auto.offset.reset", "latest"));
    }

    @Override
    public void stop() {
        TestDatabases.drop(database);
    }
}
