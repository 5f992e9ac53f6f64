package io.talkline.media.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.jaredmdobson.concentus.OpusDecoder;

/**
 * Decodes Opus packets to PCM (Concentus, a pure-Java port of libopus) and keeps the peak |amplitude| per 20 ms slot;
 * {@link #peaks(long)} folds the slots into at most 64 buckets over the whole duration, scaled 0..100 against the
 * loudest bucket. Slots are bounded (about 87 minutes); audio beyond that is not looked at.
 */
final class Waveform {
    static final int BUCKETS = 64;
    private static final int SLOT_SAMPLES = 960; // 20 ms at 48 kHz
    private static final int MAX_SLOTS = 1 << 18;
    private static final int MAX_FRAME = 5760; // 120 ms at 48 kHz

    private final OpusDecoder decoder;
    private final int channels;
    private final short[] pcm;
    private int[] slots = new int[256];
    private int usedSlots;
    private int failures;

    private Waveform(OpusDecoder decoder, int channels) {
        this.decoder = decoder;
        this.channels = channels;
        this.pcm = new short[MAX_FRAME * channels];
    }

    /** A waveform for an Opus stream of 1 or 2 channels, or null when no decoder can be made. */
    static Waveform opus(int channels) {
        int ch = channels == 2 ? 2 : 1;
        try {
            return new Waveform(new OpusDecoder(48000, ch), ch);
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    /** Decodes one packet that starts at {@code startSample} (48 kHz) and records its peaks. */
    void packet(byte[] data, int off, int len, long startSample) {
        if (startSample < 0 || failures > 1000) {
            return;
        }
        int n;
        try {
            n = decoder.decode(data, off, len, pcm, 0, MAX_FRAME, false);
        } catch (Exception | AssertionError e) {
            failures++;
            return;
        }
        for (int i = 0; i < n; i++) {
            long slot = (startSample + i) / SLOT_SAMPLES;
            if (slot >= MAX_SLOTS) {
                return;
            }
            int peak = 0;
            for (int c = 0; c < channels; c++) {
                peak = Math.max(peak, Math.abs((int) pcm[i * channels + c]));
            }
            record((int) slot, peak);
        }
    }

    private void record(int slot, int peak) {
        if (slot >= slots.length) {
            slots = Arrays.copyOf(slots, Math.min(MAX_SLOTS, Math.max(slot + 1, slots.length * 2)));
        }
        if (peak > slots[slot]) {
            slots[slot] = peak;
        }
        usedSlots = Math.max(usedSlots, slot + 1);
    }

    /** At most 64 peaks 0..100 over {@code durationMs}; empty when nothing was decoded. */
    List<Integer> peaks(long durationMs) {
        return fold(slots, usedSlots, durationMs <= 0 ? usedSlots : (int) Math.min(MAX_SLOTS, (durationMs + 19) / 20));
    }

    /** Folds {@code used} slot values over a timeline of {@code total} slots into ≤64 buckets scaled 0..100. */
    static List<Integer> fold(int[] slots, int used, int total) {
        total = Math.max(total, used);
        if (used == 0 || total == 0) {
            return List.of();
        }
        int buckets = Math.min(BUCKETS, total);
        long[] peak = new long[buckets];
        for (int s = 0; s < used; s++) {
            int b = (int) ((long) s * buckets / total);
            peak[b] = Math.max(peak[b], slots[s]);
        }
        long max = Arrays.stream(peak).max().orElse(0);
        List<Integer> out = new ArrayList<>(buckets);
        for (long p : peak) {
            out.add(max == 0 ? 0 : (int) Math.round(p * 100.0 / max));
        }
        return out;
    }
}
