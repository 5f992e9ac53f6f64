package io.talkline.commons.requestid;

import java.util.UUID;
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

    public static String generate() {
        return UUID.randomUUID().toString();
    }
}
