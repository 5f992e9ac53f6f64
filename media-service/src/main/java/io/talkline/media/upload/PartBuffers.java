package io.talkline.media.upload;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.talkline.commons.problem.ProblemException;
import io.talkline.media.config.MediaConfig;

/**
 * The part buffers streamed uploads fill, within one memory budget ({@code media.upload-memory}):
 * however many uploads arrive at once, the service holds no more than that in parts. Buffers are
 * kept and reused rather than allocated per upload (two fresh part-sized arrays per upload were
 * measured as old-generation collections). An upload takes one buffer, waiting for it up to
 * {@code media.upload-wait} (then 503); a second one, which lets reading the next part overlap
 * sending this one, only if one is free at that moment — so two uploads never wait on each other.
 */
@ApplicationScoped
public class PartBuffers {

    private final int size;
    private final Semaphore budget;
    private final ConcurrentLinkedQueue<byte[]> idle = new ConcurrentLinkedQueue<>();
    private final long waitMillis;
    private final int count;

    public PartBuffers(MediaConfig config, MeterRegistry metrics) {
        this.size = (int) config.partSize().asLongValue();
        long count = config.uploadMemory().asLongValue() / size;
        if (count < 1) {
            throw new IllegalStateException("media.upload-memory must hold one part (media.part-size) at least");
        }
        this.count = (int) Math.min(count, Integer.MAX_VALUE);
        this.budget = new Semaphore(this.count, true);
        this.waitMillis = config.uploadWait().toMillis();
        // how much of the budget uploads hold: near the top, uploads start to wait and hear 503
        metrics.gauge("talkline_media_upload_buffers_in_use", this, PartBuffers::inUse);
        metrics.gauge("talkline_media_upload_buffers", this, buffers -> buffers.count);
    }

    /** Part buffers held by uploads right now. */
    public int inUse() {
        return count - budget.availablePermits();
    }

    public int size() {
        return size;
    }

    /** A buffer for an upload's first part: waits for the budget, then answers 503 with Retry-After. */
    public byte[] take() {
        try {
            if (!budget.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new ProblemException(503, "too many uploads at once: retry in a moment")
                        .withHeader("Retry-After", "5");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "the upload was interrupted: retry").withHeader("Retry-After", "5");
        }
        return buffer();
    }

    /** A second buffer if the budget has one right now, or null. */
    public byte[] takeIfFree() {
        return budget.tryAcquire() ? buffer() : null;
    }

    /** Back to the pool; only once nothing reads the buffer any more (its part is sent or dropped). */
    public void give(byte[] buffer) {
        if (buffer != null) {
            idle.offer(buffer);
            budget.release();
        }
    }

    private byte[] buffer() {
        byte[] buffer = idle.poll();
        return buffer != null ? buffer : new byte[size];
    }
}
