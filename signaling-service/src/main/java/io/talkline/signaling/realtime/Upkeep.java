package io.talkline.signaling.realtime;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.talkline.signaling.call.CallHistory;
import io.talkline.signaling.call.CallStore;
import io.talkline.signaling.config.SignalingConfig;

/**
 * What every instance does on its own schedule, off the event loop: renew its participants (so a
 * crashed instance's participants expire and are swept by the others), sweep expired participants
 * and unanswered rings, and write finished call records to MySQL.
 */
@ApplicationScoped
public class Upkeep {

    private static final int SWEEP_LIMIT = 200;
    private static final int PERSIST_LIMIT = 500;

    private final CallStore store;
    private final CallHistory history;
    private final Sockets sockets;
    private final SignalingConfig config;
    /** Failed attempts at the record at the head (only the upkeep thread touches it). */
    private int failures;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "signaling-upkeep");
        thread.setDaemon(true);
        return thread;
    });

    public Upkeep(CallStore store, CallHistory history, Sockets sockets, SignalingConfig config) {
        this.store = store;
        this.history = history;
        this.sockets = sockets;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        every("heartbeat", config.call().heartbeat().toMillis(), this::heartbeat);
        every("sweep", config.call().sweep().toMillis(), () -> {
            store.sweep(SWEEP_LIMIT);
            persist();
        });
    }

    void stop(@Observes ShutdownEvent event) {
        worker.shutdownNow();
    }

    private void heartbeat() {
        List<String> mine = sockets.participations();
        if (!mine.isEmpty()) {
            store.heartbeat(System.currentTimeMillis() + config.call().participantTtl().toMillis(), mine);
        }
    }

    /**
     * Call records, oldest first. One that fails stays at the head and is tried again next round
     * (MySQL or Kafka's outbox away for a while); one that keeps failing is set aside with an error
     * in the log rather than holding up every later call.
     */
    private void persist() {
        for (int i = 0; i < PERSIST_LIMIT; i++) {
            String record = store.nextEvent();
            if (record == null) {
                return;
            }
            try {
                history.persist(record);
                store.persisted(record);
                failures = 0;
            } catch (RuntimeException e) {
                if (++failures < config.call().persistAttempts()) {
                    throw e;
                }
                Log.errorf(e, "call record set aside in %s after %d attempts: %s", store.failedEvents(), failures, record);
                store.shelve(record);
                failures = 0;
            }
        }
    }

    private void every(String what, long periodMs, Runnable task) {
        worker.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                Log.warnf("signaling %s failed: %s", what, e.toString());
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }
}
