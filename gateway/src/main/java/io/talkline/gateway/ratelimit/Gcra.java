package io.talkline.gateway.ratelimit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The same GCRA as gcra.lua, in memory: what decides while Redis cannot be reached. Limits are then
 * per replica (a fallback, not the normal case).
 */
final class Gcra {

    /** Past this many keys the table is dropped: a fallback must not grow without bound. */
    private static final int MAX_KEYS = 100_000;

    private final ConcurrentHashMap<String, Long> tat = new ConcurrentHashMap<>();

    Decision check(String key, int limit, long periodMillis, long now) {
        long interval = Math.max(1, periodMillis / limit);
        long tau = interval * (limit - 1);
        if (tat.size() > MAX_KEYS) {
            tat.clear();
        }
        Decision[] result = new Decision[1];
        tat.compute(key, (k, previous) -> {
            long current = previous == null || previous < now ? now : previous;
            long allowAt = current - tau;
            if (now < allowAt) {
                result[0] = new Decision(false, limit, 0, allowAt - now, current - now);
                return current;
            }
            long next = current + interval;
            long remaining = Math.max(0, Math.floorDiv(now + tau - next, interval) + 1);
            result[0] = new Decision(true, limit, remaining, 0, next - now);
            return next;
        });
        return result[0];
    }
}
