package io.talkline.commons.realtime;

/**
 * Client-supplied text (a frame's {@code type}, ids) made safe for one log line: line breaks and
 * other control characters — CR, LF, NEL (U+0085), the Unicode line and paragraph separators — are
 * escaped, so that a client cannot forge log lines, and the text is cut to a sane length.
 */
public final class LogSafe {

    static final int MAX_CHARS = 200;

    private LogSafe() {
    }

    public static String of(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        StringBuilder out = null;
        int end = Math.min(text.length(), MAX_CHARS);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (needsEscape(c)) {
                if (out == null) {
                    out = new StringBuilder(end + 16).append(text, 0, i);
                }
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\\' -> out.append("\\\\");
                    default -> out.append(String.format("\\u%04x", (int) c));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        String safe = out == null ? text.substring(0, end) : out.toString();
        return end < text.length() ? safe + "…" : safe;
    }

    private static boolean needsEscape(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\\';
    }
}
