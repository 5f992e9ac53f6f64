package io.talkline.system.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/** Values a careless client (or an attacker) sends: odd text, odd numbers, odd JSON. */
final class Hostile {

    /** Text that has broken parsers, loggers, databases and line-based protocols before. */
    static final List<String> STRINGS = List.of("", " ", "\u0085", "ali\u0085ce", "\u2028", "a\u2029b", "\u0000",
            "nul\u0000byte", "\u200f\u202eevil\u202c", "\u05e9\u05dc\u05d5\u05dd", "😀", "👩‍👩‍👧‍👦", "\ud800", "x\udfffy",
            "\ufeffbom", "\ufffe", "'; DROP TABLE users; --", "\" OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd",
            "%00", "%2e%2e%2f", "${jndi:ldap://127.0.0.1/x}", "#{7*7}", "{{7*7}}", "\\", "\"", "\r\nX-Injected: 1", "\t",
            "null", "true", "0", "-1", "NaN", "Infinity", "1e999999", "\u0130i\u0131I", "ǅ", "Å", "A\u030a", "\u00a0",
            "\uff21dmin",
            "system-admin", "SYSTEM-ADMIN", " system-admin ", "a".repeat(33), "é".repeat(3000), "🙂".repeat(2100));

    /** Numbers at and past the edges of int, long and double. */
    static final List<Object> NUMBERS = List.of(0, -1, 1, -0.0, 1.5, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
            Long.MIN_VALUE, new JsonText.Raw("9223372036854775808"), new JsonText.Raw("-9223372036854775809"),
            new JsonText.Raw("1e400"), new JsonText.Raw("1E-400"),
            new JsonText.Raw("12345678901234567890123456789012345678901234567890"),
            new JsonText.Raw("0.0000000000000000000000001"));

    /** Path or query values where an id, a sequence number or a limit belongs (already URL-safe). */
    static final List<String> PATH_VALUES = List.of("abc", "-1", "0", "1", "00000001", "99999999999999999999", "1e5",
            "-9223372036854775808", "9223372036854775807", "1.5", "0x10", "NaN", "null", "undefined", "%00", "%2e%2e", "..",
            ".", "%2F", "a%2Fb", "%252F", "%20", "+", "%C0%AF", "%ED%A0%80", "%C2%85", "%E2%80%A8", "%E2%80%AE", "%F0%9F%98%80",
            "%FF%FE", "%5B%5D", "%7B%7D", "'%20OR%20'1'='1", "*", "~", "a;b=c", "x".repeat(3000), "%E2%80%8F".repeat(40));

    private Hostile() {
    }

    static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String string(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> "x".repeat(1 + random.nextInt(5000));
            case 1 -> pick(random, STRINGS) + pick(random, STRINGS);
            default -> pick(random, STRINGS);
        };
    }

    /** Any JSON value of another kind than the one expected. */
    static Object wrongType(SplittableRandom random, Object expected) {
        List<Object> kinds = new ArrayList<>(List.of(123, true, List.of(), List.of("a", 1), Map.of(), Map.of("a", "b"),
                "text", -7.25));
        kinds.removeIf(k -> sameKind(k, expected));
        return pick(random, kinds);
    }

    static boolean sameKind(Object a, Object b) {
        return a instanceof String && b instanceof String || a instanceof Number && b instanceof Number
                || a instanceof Boolean && b instanceof Boolean || a instanceof List && b instanceof List
                || a instanceof Map && b instanceof Map;
    }

    /** An array nested this deep, with a value at its bottom. */
    static JsonText.Raw nested(int depth) {
        return new JsonText.Raw("[".repeat(depth) + "1" + "]".repeat(depth));
    }

    /**
     * A mutated JSON body from a valid template: fields dropped, retyped, made hostile, huge or deep,
     * or the whole body replaced by something that is no object (or no JSON) at all.
     */
    static byte[] body(SplittableRandom random, Map<String, Object> template) {
        Map<String, Object> body = new LinkedHashMap<>(template);
        List<String> fields = new ArrayList<>(body.keySet());
        String field = fields.isEmpty() ? "field" : pick(random, fields);
        int choice = random.nextInt(100);
        if (choice < 12) {
            return utf8(JsonText.write(body));
        } else if (choice < 20) {
            body.remove(field);
        } else if (choice < 34) {
            body.put(field, wrongType(random, body.get(field)));
        } else if (choice < 52) {
            body.put(field, string(random));
        } else if (choice < 57) {
            body.put(field, pick(random, NUMBERS));
        } else if (choice < 60) {
            body.put(field, null);
        } else if (choice < 63) {
            // past the gateway's 64 KB JSON limit, or just below it
            body.put(field, "y".repeat(random.nextBoolean() ? 70_000 : 60_000));
        } else if (choice < 67) {
            body.put(field, nested(pick(random, List.of(50, 1500, 20_000))));
        } else if (choice < 70) {
            body.put(pick(random, STRINGS), pick(random, STRINGS));
            body.put("__proto__", Map.of("admin", true));
        } else if (choice < 72) {
            List<Map.Entry<String, Object>> pairs = new ArrayList<>(body.entrySet());
            pairs.add(Map.entry(field, string(random)));
            return utf8(JsonText.write(new JsonText.Pairs(pairs)));
        } else if (choice < 74) {
            for (String name : fields) {
                body.put(name, string(random));
            }
        } else {
            return whole(random, body);
        }
        return utf8(JsonText.write(body));
    }

    /** A body that is not the expected object. */
    static byte[] whole(SplittableRandom random, Map<String, Object> body) {
        String json = JsonText.write(body);
        return switch (random.nextInt(20)) {
            case 0 -> new byte[0];
            case 1 -> utf8("[" + json + "]");
            case 2 -> utf8("null");
            case 3 -> utf8("\"" + json.replace("\"", "'") + "\"");
            case 4 -> utf8(json.substring(0, json.length() / 2));
            case 5 -> utf8(json + "garbage");
            case 6 -> utf8("\ufeff" + json);
            case 7 -> new byte[] { (byte) 0xff, (byte) 0xfe, '{', '}', (byte) 0xc0, (byte) 0xaf };
            case 8 -> utf8(json.replace("}", ",}"));
            case 9 -> utf8("/* comment */" + json);
            case 10 -> utf8("{\"a\":NaN,\"b\":Infinity}");
            case 11 -> utf8(nested(random.nextBoolean() ? 2000 : 100_000).text());
            case 12 -> utf8("{".repeat(3000));
            case 13 -> utf8("123");
            case 14 -> utf8("<?xml version=\"1.0\"?><user><username>a</username></user>");
            case 15 -> utf8("username=a&password=b");
            case 16 -> utf8(json.replace("\":", "\"\u0000:"));
            case 17 -> utf8("{\"" + "k".repeat(70_000) + "\":1}");
            case 18 -> json.getBytes(StandardCharsets.UTF_16);
            default -> utf8(" \n\t " + json + " \u2028 ");
        };
    }

    /** One path segment as the fuzzer sends it: a fixture id, or one of the odd values. */
    static String segment(SplittableRandom random, String valid, Function<String, String> encode) {
        return random.nextInt(3) > 0 ? encode.apply(valid) : pick(random, PATH_VALUES);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
