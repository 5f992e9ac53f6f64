package io.talkline.audit.store;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.mongodb.MongoException;

import io.quarkus.logging.Log;

/**
 * Runs a write until Mongo takes it: while Mongo is away the consumer holds its batch (and so its
 * partitions) instead of skipping or failing the channel; the offsets move only after the write.
 */
@ApplicationScoped
public class Retrying {

    private static final Duration FIRST = Duration.ofMillis(200);
    private static final Duration MOST = Duration.ofSeconds(5);

    public void run(String what, Runnable write) throws InterruptedException {
        Duration pause = FIRST;
        for (int attempt = 1;; attempt++) {
            try {
                write.run();
                if (attempt > 1) {
                    Log.infof("%s: stored after %d attempts", what, attempt);
                }
                return;
            } catch (MongoException e) {
                if (attempt == 1 || attempt % 20 == 0) {
                    Log.warnf("%s: cannot store (%s); retrying", what, e.getMessage());
                }
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(MOST) > 0 ? MOST : pause.multipliedBy(2);
            }
        }
    }
}
