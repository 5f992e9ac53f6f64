package io.talkline.system.fuzz;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Every path of the public contract (api.md), with a valid body and the query parameters it takes. */
final class Endpoints {

    /** Who the caller must be for a valid token to work on it, and what it would destroy. */
    enum Effect {
        /** Safe to call with the shared users' tokens. */
        SHARED,
        /** Ends the caller's session (logout, refresh, ending a session): the caller is a fresh victim. */
        ENDS_CALLER_SESSION,
        /** Changes the user named in the path (roles, disabling): that user is a fresh victim. */
        CHANGES_TARGET
    }

    /** A valid body for the endpoint, built for this case (the mutations start from it). */
    @FunctionalInterface
    interface Body {
        Map<String, Object> of(Fixtures world, Fixtures.User caller, SplittableRandom random);
    }

    record Endpoint(String method, String path, Effect effect, List<String> query, Body body) {

        String name() {
            return method + " " + path;
        }

        boolean multipart() {
            return path.equals("/api/media") && method.equals("POST");
        }
    }

    static final List<Endpoint> ALL = List.of(
            // auth
            new Endpoint("POST", "/api/auth/register", Effect.SHARED, List.of(), (w, c, r) -> {
                // unique per run (the database outlives it), else the same index is a 409 the next time
                String name = "fz" + w.nonce + Long.toHexString(r.nextLong());
                return Map.of("username", name, "email", name + "@example.org", "password", "a fine password",
                        "displayName", "Fuzz " + name);
            }),
            new Endpoint("POST", "/api/auth/login", Effect.SHARED, List.of(),
                    (w, c, r) -> Map.of("username", r.nextBoolean() ? w.alice.username() : "nobody" + r.nextInt(1000),
                            "password", r.nextInt(4) == 0 ? "fuzzing password 1" : "wrong password")),
            new Endpoint("POST", "/api/auth/refresh", Effect.ENDS_CALLER_SESSION, List.of(),
                    (w, c, r) -> Map.of("refreshToken", c.refreshToken())),
            new Endpoint("POST", "/api/auth/logout", Effect.ENDS_CALLER_SESSION, List.of(),
                    (w, c, r) -> Map.of("refreshToken", c.refreshToken())),
            new Endpoint("POST", "/api/auth/logout-all", Effect.ENDS_CALLER_SESSION, List.of(), (w, c, r) -> Map.of()),
            new Endpoint("GET", "/api/auth/me", Effect.SHARED, List.of(), null),
            new Endpoint("GET", "/api/auth/sessions", Effect.SHARED, List.of(), null),
            new Endpoint("DELETE", "/api/auth/sessions/{sessionId}", Effect.ENDS_CALLER_SESSION, List.of(), null),
            new Endpoint("GET", "/api/auth/users", Effect.SHARED, List.of("query"), null),
            new Endpoint("PUT", "/api/auth/users/{targetId}/roles", Effect.CHANGES_TARGET, List.of(),
                    (w, c, r) -> Map.of("roles", r.nextBoolean() ? List.of("user", "moderator") : List.of("admin"))),
            new Endpoint("PUT", "/api/auth/users/{targetId}/disabled", Effect.CHANGES_TARGET, List.of(),
                    (w, c, r) -> Map.of("disabled", r.nextBoolean(), "reason", "fuzz")),
            new Endpoint("GET", "/.well-known/jwks.json", Effect.SHARED, List.of(), null),
            // chat
            new Endpoint("POST", "/api/rooms", Effect.SHARED, List.of(), (w, c, r) -> r.nextBoolean()
                    ? Map.of("type", "group", "name", "fuzz room", "memberIds", List.of(w.bob.id()))
                    : Map.of("type", "direct", "memberIds", List.of(w.carol.id()))),
            new Endpoint("GET", "/api/rooms", Effect.SHARED, List.of(), null),
            new Endpoint("GET", "/api/rooms/{roomId}", Effect.SHARED, List.of(), null),
            new Endpoint("POST", "/api/rooms/{roomId}/members", Effect.SHARED, List.of(),
                    (w, c, r) -> Map.of("userId", r.nextBoolean() ? w.daveId : w.carol.id(), "role", "member")),
            new Endpoint("DELETE", "/api/rooms/{roomId}/members/{memberId}", Effect.SHARED, List.of(), null),
            new Endpoint("POST", "/api/rooms/{roomId}/messages", Effect.SHARED, List.of(),
                    (w, c, r) -> Map.of("clientMsgId", "fz-" + Long.toHexString(r.nextLong()), "type", "text", "body",
                            "fuzz says hi", "replyTo", w.aliceMessages.getFirst())),
            new Endpoint("GET", "/api/rooms/{roomId}/messages", Effect.SHARED, List.of("before", "after", "limit"), null),
            new Endpoint("PATCH", "/api/rooms/{roomId}/messages/{messageId}", Effect.SHARED, List.of(),
                    (w, c, r) -> Map.of("body", "edited by the fuzzer")),
            new Endpoint("DELETE", "/api/rooms/{roomId}/messages/{messageId}", Effect.SHARED, List.of(), null),
            new Endpoint("PUT", "/api/rooms/{roomId}/messages/{messageId}/reactions/{emoji}", Effect.SHARED, List.of(), null),
            new Endpoint("DELETE", "/api/rooms/{roomId}/messages/{messageId}/reactions/{emoji}", Effect.SHARED, List.of(),
                    null),
            new Endpoint("POST", "/api/rooms/{roomId}/receipts", Effect.SHARED, List.of(),
                    (w, c, r) -> Map.of("kind", r.nextBoolean() ? "seen" : "delivered", "upToSeq", 1 + r.nextInt(4))),
            new Endpoint("GET", "/api/rooms/{roomId}/receipts", Effect.SHARED, List.of(), null),
            new Endpoint("POST", "/api/rooms/{roomId}/messages/{messageId}/reports", Effect.SHARED, List.of(),
                    (w, c, r) -> Map.of("reason", "spam")),
            // calls
            new Endpoint("GET", "/api/calls/ice-servers", Effect.SHARED, List.of(), null),
            new Endpoint("GET", "/api/calls", Effect.SHARED, List.of("roomId"), null),
            // media
            new Endpoint("POST", "/api/media", Effect.SHARED, List.of(), null),
            new Endpoint("POST", "/api/media/uploads", Effect.SHARED, List.of(),
                    (w, c, r) -> Map.of("fileName", "a.png", "contentType", "image/png", "size", 1 + r.nextInt(100_000),
                            "kind", "image", "roomId", w.groupRoom)),
            new Endpoint("GET", "/api/media/{mediaId}", Effect.SHARED, List.of(), null),
            new Endpoint("GET", "/api/media/{mediaId}/content", Effect.SHARED, List.of(), null),
            new Endpoint("POST", "/api/media/{mediaId}/complete", Effect.SHARED, List.of(), (w, c, r) -> Map.of()),
            new Endpoint("DELETE", "/api/media/{mediaId}", Effect.SHARED, List.of(), null),
            // moderation
            new Endpoint("GET", "/api/moderation/cases", Effect.SHARED,
                    List.of("status", "kind", "roomId", "limit", "cursor"), null),
            new Endpoint("GET", "/api/moderation/cases/{caseId}", Effect.SHARED, List.of(), null),
            new Endpoint("POST", "/api/moderation/cases/{caseId}/actions", Effect.SHARED, List.of(),
                    (w, c, r) -> Map.of("action", "dismiss", "durationSeconds", 60, "scope", "room", "note", "fuzz")),
            new Endpoint("GET", "/api/moderation/mutes", Effect.SHARED, List.of("userId", "roomId"), null),
            new Endpoint("POST", "/api/moderation/mutes", Effect.SHARED, List.of(),
                    (w, c, r) -> Map.of("userId", w.carol.id(), "roomId", w.foreignRoom, "durationSeconds", 60, "reason",
                            "fuzz")),
            new Endpoint("DELETE", "/api/moderation/mutes/{muteId}", Effect.SHARED, List.of(), null),
            new Endpoint("GET", "/api/moderation/rules", Effect.SHARED, List.of(), null),
            new Endpoint("PUT", "/api/moderation/rules", Effect.SHARED, List.of(), (w, c, r) -> Map.of("rules",
                    List.of(Map.of("id", "fz", "kind", "words", "params", Map.of("words", List.of("zzfuzzzz")), "action",
                            "flag")))),
            // audit
            new Endpoint("GET", "/api/audit/events", Effect.SHARED,
                    List.of("userId", "type", "service", "requestId", "from", "to", "limit", "cursor"), null),
            new Endpoint("GET", "/api/audit/requests/{requestId}", Effect.SHARED, List.of(), null),
            // operations, served by the gateway itself
            new Endpoint("GET", "/q/health/ready", Effect.SHARED, List.of(), null),
            new Endpoint("GET", "/docs/openapi/{service}", Effect.SHARED, List.of(), null));

    private Endpoints() {
    }
}
