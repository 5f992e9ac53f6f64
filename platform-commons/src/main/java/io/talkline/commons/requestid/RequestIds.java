package io.talkline.commons.requestid;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** The X-Request-Id rules of the public contract: 1–64 of [A-Za-z0-9._-], otherwise a fresh one. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    /** MDC key; log formats and the JSON log refer to it by this name. */
    public static final String MDC_KEY = "requestId";

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RequestIds() {
    }

    public static boolean isSane(String candidate) {
        return candidate != null && SANE.matcher(candidate).matches();
    }

    /** The caller's id when it is sane, else a new random one (never echoes unsafe input). */
    public static String acceptOrGenerate(String candidate) {
        return isSane(candidate) ? candidate : generate();
    }

    /**
     * A random (version 4) UUID. Ids correlate logs, they guard nothing: ThreadLocalRandom instead
     * of the SecureRandom behind UUID.randomUUID(), which every request paid for (measured).
     */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }
}
