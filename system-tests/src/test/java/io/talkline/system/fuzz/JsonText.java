package io.talkline.system.fuzz;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON text from maps, lists, strings, numbers, booleans and null — by hand, because a real
 * encoder refuses what a fuzzer needs: lone surrogates (written as {@code \ud800} escapes), NUL,
 * duplicate keys and raw fragments ({@link Raw}) such as {@code 1e999999} or 5,000 nested arrays.
 */
final class JsonText {

    /** Text copied into the output as it is (not necessarily valid JSON). */
    record Raw(String text) {
    }

    /** An object whose keys may repeat (a map cannot say {"a":1,"a":2}). */
    record Pairs(List<Map.Entry<String, Object>> entries) {
    }

    private JsonText() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Raw raw -> out.append(raw.text());
            case String s -> string(s, out);
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            case Map<?, ?> map -> object(map.entrySet().stream()
                    .map(e -> new AbstractMap.SimpleEntry<>(String.valueOf(e.getKey()), e.getValue())).toList(), out);
            case Pairs pairs -> object(pairs.entries(), out);
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default -> string(value.toString(), out);
        }
    }

    private static void object(List<? extends Map.Entry<String, ?>> entries, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, ?> entry : entries) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(entry.getKey(), out);
            out.append(':');
            write(entry.getValue(), out);
        }
        out.append('}');
    }

    /** Control characters and lone surrogates escaped (so a lone one stays lone); the rest as UTF-8. */
    static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c) || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
