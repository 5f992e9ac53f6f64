package io.talkline.system.fuzz;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.talkline.system.fuzz.Endpoints.Effect;
import io.talkline.system.fuzz.Endpoints.Endpoint;

/** Derives one REST input from a case's random: endpoint, caller, path, query, headers and body. */
final class RestCases {

    private static final Pattern SLOT = Pattern.compile("\\{(\\w+)}");
    private static final List<String> ODD_METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
            "TRACE", "FOO", "get", "PROPFIND", "M-SEARCH");
    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "multipart/form-data",
            "application/json; charset=ISO-8859-1", "application/x-www-form-urlencoded", "a/b/c", "application/problem+json",
            "application/json;;;", "*/*", "application/json, text/plain", "application/octet-stream", "json");
    private static final List<String> EMOJI = List.of("👍", "❤️", "👩‍👩‍👧‍👦", "heart", ":)", "\u0085", "\u2028", "\u202e",
            "a".repeat(200), "\ufe0f", "🏳️‍🌈");

    private final Fixtures world;
    private final Supplier<Fixtures.User> victims;
    private final boolean defaultLimitsGateway;

    RestCases(Fixtures world, Supplier<Fixtures.User> victims, boolean defaultLimitsGateway) {
        this.world = world;
        this.victims = victims;
        this.defaultLimitsGateway = defaultLimitsGateway;
    }

    /**
     * What one case gets wrong. Mostly one thing, the rest valid, so that most inputs pass the
     * gateway and the token check and reach the code behind them; now and then everything at once.
     */
    private enum Focus {
        EVERYTHING,
        TOKEN,
        PATH,
        QUERY,
        BODY,
        METHOD,
        CONTENT_TYPE,
        NOTHING;

        static Focus of(SplittableRandom random) {
            int n = random.nextInt(100);
            return n < 12 ? EVERYTHING
                    : n < 30 ? TOKEN
                            : n < 44 ? PATH
                                    : n < 52 ? QUERY
                                            : n < 82 ? BODY
                                                    : n < 87 ? METHOD : n < 92 ? CONTENT_TYPE : NOTHING;
        }

        /** Whether this dimension is mutated: always when focused, with some odds when everything is. */
        boolean mutates(Focus dimension, SplittableRandom random, int percentInEverything) {
            return this == dimension || this == EVERYTHING && random.nextInt(100) < percentInEverything;
        }
    }

    HttpCase next(SplittableRandom random) {
        Endpoint endpoint = Hostile.pick(random, Endpoints.ALL);
        Focus focus = Focus.of(random);
        // a caller whose session may end, a target that may be disabled: never the shared users
        Fixtures.User victim = endpoint.effect() == Effect.SHARED ? null : victims.get();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        Fixtures.User caller = focus.mutates(Focus.TOKEN, random, 55) ? authorization(random, endpoint, victim, headers)
                : validCaller(endpoint, victim, headers);

        String path = path(random, endpoint, victim, focus.mutates(Focus.PATH, random, 40));
        String query = query(random, endpoint, focus.mutates(Focus.QUERY, random, 50));
        String method = focus.mutates(Focus.METHOD, random, 15) ? Hostile.pick(random, ODD_METHODS) : endpoint.method();

        byte[] body = null;
        if (endpoint.multipart()) {
            body = multipart(random, headers, focus.mutates(Focus.BODY, random, 80));
        } else if (endpoint.body() != null || focus == Focus.EVERYTHING && random.nextInt(10) == 0) {
            Map<String, Object> template = endpoint.body() == null ? Map.of("x", 1)
                    : endpoint.body().of(world, caller, random);
            body = focus.mutates(Focus.BODY, random, 85) ? Hostile.body(random, template)
                    : Hostile.utf8(JsonText.write(template));
            headers.add(Map.entry("Content-Type", focus.mutates(Focus.CONTENT_TYPE, random, 25)
                    ? Hostile.pick(random, CONTENT_TYPES)
                    : "application/json"));
        }
        String requestId = null;
        if (random.nextInt(5) == 0) {
            requestId = requestId(random, headers);
        }
        if (focus == Focus.EVERYTHING || random.nextInt(10) == 0) {
            extraHeaders(random, headers);
        }
        boolean http2 = random.nextInt(20) == 0;
        // login, register and refresh often enough at api.md's 10 a minute that the run meets real 429s
        boolean authPolicy = endpoint.path().matches("/api/auth/(login|register|refresh)");
        boolean defaultLimits = defaultLimitsGateway && (authPolicy ? random.nextInt(3) > 0 : random.nextInt(25) == 0);
        return new HttpCase(endpoint.name(), method, path + query, headers, body, http2, defaultLimits, requestId);
    }

    /** The token that should work here: an admin's for admin calls, the victim's for its own session. */
    private Fixtures.User validCaller(Endpoint endpoint, Fixtures.User victim, List<Map.Entry<String, String>> headers) {
        Fixtures.User caller = endpoint.effect() == Effect.ENDS_CALLER_SESSION ? victim
                : endpoint.effect() == Effect.CHANGES_TARGET || endpoint.path().startsWith("/api/moderation")
                        || endpoint.path().startsWith("/api/audit") ? world.admin : world.alice;
        headers.add(Map.entry("Authorization", "Bearer " + caller.token()));
        return caller;
    }

    /**
     * An Authorization that should not work here — none, garbage, forged, expired-looking, another
     * user's, an admin's, an odd scheme; returns the user the token belongs to.
     */
    private Fixtures.User authorization(SplittableRandom random, Endpoint endpoint, Fixtures.User victim,
            List<Map.Entry<String, String>> headers) {
        Fixtures.User own = endpoint.effect() == Effect.ENDS_CALLER_SESSION ? victim : world.alice;
        int kind = random.nextInt(100);
        String token;
        Fixtures.User caller = own;
        if (kind < 12) {
            return own;
        } else if (kind < 24) {
            token = "Bearer " + Hostile.pick(random, List.of("garbage", "a.b.c", "", "null", "e30.e30.", "..", "Bearer x"));
        } else if (kind < 36) {
            token = "Bearer " + world.expiredLookingToken;
        } else if (kind < 44) {
            token = "Bearer " + world.tamperedToken;
        } else if (kind < 50) {
            token = "Bearer " + world.algNoneToken;
        } else if (kind < 70) {
            // another user's token; for a call that ends the caller's session, still a victim's
            caller = endpoint.effect() == Effect.ENDS_CALLER_SESSION ? victim : world.carol;
            token = "Bearer " + caller.token();
        } else if (kind < 82) {
            caller = endpoint.effect() == Effect.ENDS_CALLER_SESSION ? victim : world.admin;
            token = "Bearer " + caller.token();
        } else if (kind < 92) {
            token = Hostile.pick(random, List.of("Basic dXNlcjpwYXNz", "bearer " + own.token(), "Bearer  " + own.token(),
                    own.token(), "Bearer " + own.token() + " extra", "Digest x"));
        } else {
            token = "Bearer " + own.token().substring(0, own.token().length() - 2) + "AA";
        }
        headers.add(Map.entry("Authorization", token));
        return caller;
    }

    private String path(SplittableRandom random, Endpoint endpoint, Fixtures.User victim, boolean mutate) {
        Matcher slots = SLOT.matcher(endpoint.path());
        StringBuilder path = new StringBuilder();
        while (slots.find()) {
            String valid = switch (slots.group(1)) {
                case "roomId" -> Hostile.pick(random, List.of(world.groupRoom, world.groupRoom, world.directRoom,
                        world.foreignRoom));
                case "memberId" -> Hostile.pick(random, List.of(world.daveId, world.bob.id(), world.carol.id()));
                case "messageId" -> random.nextInt(4) == 0 ? world.bobMessage : Hostile.pick(random, world.aliceMessages);
                case "emoji" -> Hostile.pick(random, EMOJI);
                case "sessionId" -> victim.sessionId();
                case "targetId" -> victim.id();
                case "service" -> Hostile.pick(random, List.of("auth", "chat", "signaling", "media", "audit", "gateway"));
                default -> "fz" + Long.toHexString(random.nextLong());
            };
            slots.appendReplacement(path, Matcher.quoteReplacement(mutate ? Hostile.segment(random, valid, RestCases::encode)
                    : encode(valid)));
        }
        slots.appendTail(path);
        boolean hadSlots = endpoint.path().contains("{");
        return mutate && (!hadSlots || random.nextBoolean()) ? mutatePath(random, path.toString()) : path.toString();
    }

    /** Spellings of a path that a router, a proxy and a service may each read differently. */
    static String mutatePath(SplittableRandom random, String path) {
        int slash = 1 + random.nextInt(Math.max(1, path.length() - 1));
        int at = path.indexOf('/', slash) < 0 ? path.lastIndexOf('/') : path.indexOf('/', slash);
        return switch (random.nextInt(14)) {
            case 0 -> {
                // one letter percent-encoded: /api/auth/logi%6E
                int i = path.length() - 1 - random.nextInt(Math.max(1, path.length() / 2));
                char c = path.charAt(i);
                yield Character.isLetter(c) ? path.substring(0, i) + String.format("%%%02X", (int) c) + path.substring(i + 1)
                        : path + "%2e";
            }
            case 1 -> path.substring(0, at) + "/." + path.substring(at);
            case 2 -> path.substring(0, at) + "/" + path.substring(at);
            case 3 -> at > 0 ? path.substring(0, at) + "%2F" + path.substring(at + 1) : path + "%2F";
            case 4 -> path + "/";
            case 5 -> path.toUpperCase(java.util.Locale.ROOT);
            case 6 -> path + ";x=1";
            case 7 -> path + "/..";
            case 8 -> path + "/../../auth/me";
            case 9 -> path + "/" + "z".repeat(2000 + random.nextInt(6000));
            case 10 -> path + "%00";
            case 11 -> path.replaceFirst("/api/", "/api/%2e%2e/api/");
            case 12 -> "/" + path;
            default -> path.replace("/", "/%2e/");
        };
    }

    private static String query(SplittableRandom random, Endpoint endpoint, boolean mutate) {
        List<String> params = new ArrayList<>();
        for (String name : endpoint.query()) {
            if (random.nextInt(10) < 6) {
                params.add(name + "=" + (!mutate || random.nextBoolean() ? validQueryValue(random, name)
                        : random.nextBoolean() ? Hostile.pick(random, Hostile.PATH_VALUES) : encode(Hostile.string(random))));
            }
        }
        switch (mutate ? random.nextInt(6) : -1) {
            case 0 -> {
                // one parameter many times
                String name = endpoint.query().isEmpty() ? "limit" : Hostile.pick(random, endpoint.query());
                for (int i = 0, n = 2 + random.nextInt(60); i < n; i++) {
                    params.add(name + "=" + i);
                }
            }
            case 1 -> params.add(Hostile.pick(random, List.of("limit", "=", "&&&", "a%5B%5D=1", "a%5Bb%5D=c", "%00=%00",
                    "__proto__%5Badmin%5D=true", "x=%25%32%66")));
            case 2 -> params.add("access_token=" + Hostile.pick(random, List.of("garbage", "", "a.b.c")));
            default -> {
            }
        }
        return params.isEmpty() ? "" : "?" + String.join("&", params);
    }

    private static String validQueryValue(SplittableRandom random, String name) {
        return switch (name) {
            case "limit" -> String.valueOf(1 + random.nextInt(100));
            case "before", "after" -> String.valueOf(random.nextInt(10));
            case "query" -> Hostile.pick(random, List.of("al", "ALICE", "bo", "a", "", "_", "%25"));
            case "status" -> Hostile.pick(random, List.of("open", "resolved"));
            case "kind" -> Hostile.pick(random, List.of("rule", "report"));
            case "from", "to" -> "2026-01-01T00:00:00Z";
            default -> "fz" + random.nextInt(100);
        };
    }

    private static String requestId(SplittableRandom random, List<Map.Entry<String, String>> headers) {
        if (random.nextBoolean()) {
            String id = "fz-" + Long.toHexString(random.nextLong());
            headers.add(Map.entry("X-Request-Id", id));
            return id;
        }
        headers.add(Map.entry("X-Request-Id", Hostile.pick(random, List.of("x".repeat(65), "has space", "semi;colon",
                "../..", "<id>", "", "ok,ok"))));
        return null;
    }

    private static void extraHeaders(SplittableRandom random, List<Map.Entry<String, String>> headers) {
        headers.add(Hostile.pick(random, List.of(Map.entry("Accept", "application/xml"),
                Map.entry("Accept", "text/html;q=0.1, */*;q=abc"), Map.entry("Origin", "http://evil.example"),
                Map.entry("Content-Encoding", "gzip"), Map.entry("X-Forwarded-For", "1.2.3.4, 127.0.0.1"),
                Map.entry("Forwarded", "for=\"[::1]\";proto=https"), Map.entry("X-HTTP-Method-Override", "DELETE"),
                Map.entry("Cookie", "session=" + "c".repeat(3000)), Map.entry("Range", "bytes=0-1,5-"),
                Map.entry("Accept-Language", "zz-ZZ;q=2"), Map.entry("If-None-Match", "*"),
                Map.entry("X-Request-Id", "dup-1"), Map.entry("Idempotency-Key", "k".repeat(500)),
                Map.entry("Accept-Charset", "utf-7"))));
    }

    /** The multipart upload of POST /api/media, often broken somewhere. */
    private static byte[] multipart(SplittableRandom random, List<Map.Entry<String, String>> headers, boolean mutate) {
        String boundary = "fzb" + random.nextInt(1000);
        String kind = !mutate || random.nextBoolean() ? Hostile.pick(random, List.of("image", "voice", "file"))
                : Hostile.string(random);
        String fileName = !mutate || random.nextBoolean() ? "a.png" : Hostile.string(random).replace("\"", "'");
        byte[] content = switch (mutate ? random.nextInt(4) : 0) {
            case 0 -> new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0 };
            case 1 -> Hostile.utf8("<?php echo 1; ?>");
            case 2 -> new byte[0];
            default -> Hostile.utf8("x".repeat(random.nextInt(70_000)));
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n" + kind + "\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: image/png\r\n\r\n";
        out.writeBytes(Hostile.utf8(head));
        out.writeBytes(content);
        if (!mutate || random.nextInt(4) > 0) {
            out.writeBytes(Hostile.utf8("\r\n--" + boundary + "--\r\n"));
        }
        headers.add(Map.entry("Content-Type", switch (mutate ? random.nextInt(6) : 5) {
            case 0 -> "multipart/form-data";
            case 1 -> "multipart/form-data; boundary=other";
            case 2 -> "application/json";
            default -> "multipart/form-data; boundary=" + boundary;
        }));
        return out.toByteArray();
    }

    /** Percent-encodes a path segment or query value (UTF-8; a lone surrogate becomes its CESU bytes, invalid UTF-8). */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1)))) {
                out.append(String.format("%%%02X%%%02X%%%02X", 0xE0 | (c >> 12), 0x80 | ((c >> 6) & 0x3F), 0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c)) {
                out.append(URLEncoder.encode(value.substring(i, i + 2), StandardCharsets.UTF_8));
                i++;
            } else {
                out.append(URLEncoder.encode(String.valueOf(c), StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return out.toString();
    }
}
