package io.talkline.media.media;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.talkline.media.config.MediaConfig;

/**
 * Removes uploads that were never completed, or never attached to a message (or no longer are),
 * once {@code media.unattached-ttl} has passed: object, thumbnail, row. Any instance may do it;
 * removing twice is harmless.
 */
@ApplicationScoped
public class Sweeper {

    private static final int BATCH = 100;

    private final MediaService media;
    private final MediaConfig config;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "media-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    public Sweeper(MediaService media, MediaConfig config) {
        this.media = media;
        this.config = config;
    }

    void start(@Observes StartupEvent start) {
        long every = config.sweep().toMillis();
        worker.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    void sweep() {
        try {
            for (Media expired : media.expired(BATCH)) {
                media.remove(expired, "media-service", expired.complete() ? "unattached" : "never_completed");
                Log.infof("removed media %s (%s, expired)", expired.id, expired.status);
            }
        } catch (RuntimeException e) {
            Log.warnf("media sweep failed, next one in %s: %s", config.sweep(), e.toString());
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
