package io.talkline.system.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The world the fuzzer's inputs point into: users and their tokens, rooms, messages, a session —
 * made through the gateway before the run, so that a case can aim at "a room of mine", "another
 * user's token" or "a message of someone else" by name. Destructive calls (logout, refresh, roles,
 * disabling) get a fresh {@link #victim()} each, so the shared users stay usable for the whole run.
 */
final class Fixtures {

    /** A user with a live session. */
    record User(String id, String username, String token, String refreshToken, String sessionId) {
    }

    private static final String PASSWORD = "fuzzing password 1";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    /** Six hex digits of this run, for names that must be new in a database that outlives runs. */
    final String nonce = String.format("%06x", new java.util.Random().nextInt(1 << 24));
    final User alice;
    final User bob;
    final User carol;
    final User admin;
    /** Alice owns it; bob and dave are members; carol is not. */
    final String groupRoom;
    final String directRoom;
    /** Carol's room: alice may not see it. */
    final String foreignRoom;
    final List<String> aliceMessages;
    final String bobMessage;
    final String daveId;
    /** Alice's token with a forged payload (her claims, a later exp) and the original signature. */
    final String tamperedToken;
    /** Signed by nobody: a plausible header and claims, an expiry in the past, a random signature. */
    final String expiredLookingToken;
    final String algNoneToken;

    Fixtures(String gatewayUrl, String adminUsername, String adminPassword) {
        this.base = gatewayUrl;
        alice = user("alice");
        bob = user("bob");
        carol = user("carol");
        daveId = user("dave").id();
        admin = login(adminUsername, adminPassword);
        groupRoom = post(alice, "/api/rooms", Map.of("type", "group", "name", "fuzz group", "memberIds",
                List.of(bob.id(), daveId))).getString("id");
        directRoom = post(alice, "/api/rooms", Map.of("type", "direct", "memberIds", List.of(bob.id()))).getString("id");
        foreignRoom = post(carol, "/api/rooms", Map.of("type", "group", "name", "not alice's", "memberIds",
                List.of(bob.id()))).getString("id");
        aliceMessages = List.of(message(alice, "hello"), message(alice, "second"), message(alice, "third"));
        bobMessage = message(bob, "from bob");
        String[] parts = alice.token().split("\\.");
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        claims.put("exp", claims.getLong("exp") + 86_400).put("groups", new JsonArray().add("admin"));
        tamperedToken = parts[0] + "." + b64(claims.encode()) + "." + parts[2];
        JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        claims.put("exp", 1_000_000_000L).put("iat", 999_999_000L);
        expiredLookingToken = b64(header.encode()) + "." + b64(claims.encode()) + "." + b64(UUID.randomUUID().toString());
        algNoneToken = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims.put("exp", 4_000_000_000L).encode()) + ".";
    }

    /** A fresh user for one destructive case (its session may end, its roles change, it may be disabled). */
    User victim() {
        return user("victim");
    }

    private User user(String prefix) {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        call("POST", "/api/auth/register", null,
                Map.of("username", name, "email", name + "@example.org", "password", PASSWORD), 201);
        return login(name, PASSWORD);
    }

    private User login(String username, String password) {
        JsonObject tokens = call("POST", "/api/auth/login", null, Map.of("username", username, "password", password), 200);
        String token = tokens.getString("accessToken");
        JsonArray sessions = call("GET", "/api/auth/sessions", token, null, 200).getJsonArray("items");
        return new User(tokens.getJsonObject("user").getString("id"), username, token, tokens.getString("refreshToken"),
                sessions.getJsonObject(0).getString("id"));
    }

    private String message(User sender, String body) {
        return post(sender, "/api/rooms/" + groupRoom + "/messages",
                Map.of("clientMsgId", UUID.randomUUID().toString(), "type", "text", "body", body)).getString("id");
    }

    private JsonObject post(User user, String path, Map<String, Object> body) {
        return call("POST", path, user.token(), body, 201);
    }

    private JsonObject call(String method, String path, String token, Map<String, Object> body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(new JsonObject(body).encode()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException("fixture " + method + " " + path + ": " + response.statusCode() + " "
                        + response.body());
            }
            return new JsonObject(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("fixture " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
