package io.talkline.chat.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.ChatTestResource;
import io.talkline.chat.Users;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.TestTokens;
import io.talkline.devstack.DevstackResource;
import io.vertx.core.json.JsonObject;

@QuarkusTest
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,redis,kafka"))
@QuarkusTestResource(ChatTestResource.class)
@QuarkusTestResource(TestTokens.class)
class PresenceTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RedisDataSource redis;

    private static boolean about(String userId, String status, JsonObject frame) {
        return userId.equals(frame.getString("userId")) && status.equals(frame.getString("status"));
    }

    @Test
    void onlineWithTheFirstSocketOfflineWithTheLastAndTheRoomHearsBoth() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        FrameClient bobs = FrameClient.connect(base, "/ws/chat", bob.token());
        bobs.next("ready");
        Instant before = Instant.now();

        FrameClient phone = FrameClient.connect(base, "/ws/chat", alice.token());
        phone.next("ready");
        bobs.next("presence", f -> about(alice.id(), "online", f));
        FrameClient laptop = FrameClient.connect(base, "/ws/chat", alice.token());
        laptop.next("ready");
        alice.call().get("/api/rooms/" + room + "/presence").then().statusCode(200);
        assertEquals("online", status(bob, room, alice.id()).getString("status"));

        // one device of two goes: still online
        phone.close();
        assertEquals(1000, phone.closed().get(10, TimeUnit.SECONDS));
        JsonObject early = bobs.within("presence", 800);
        assertNull(early, "no presence change while another device is connected: " + early);
        laptop.close();
        JsonObject offline = bobs.next("presence", f -> about(alice.id(), "offline", f));
        Instant lastSeen = Instant.parse(offline.getString("lastSeenAt"));
        assertEquals(true, !lastSeen.isBefore(before.minusSeconds(1)) && !lastSeen.isAfter(Instant.now()));
        JsonObject status = status(bob, room, alice.id());
        assertEquals("offline", status.getString("status"));
        assertEquals(lastSeen, Instant.parse(status.getString("lastSeenAt")));
    }

    @Test
    void usersOfAnInstanceThatDiedAreAnnouncedOfflineOnceTheirEntriesExpire() throws Exception {
        Users bob = Users.fresh();
        Users carol = Users.fresh();
        String room = bob.group(carol);
        FrameClient bobs = FrameClient.connect(base, "/ws/chat", bob.token());
        bobs.next("ready");
        // carol's socket is on an instance that stopped heartbeating (killed): its entries are all that is left
        long expiry = System.currentTimeMillis() + 1_000;
        redis.sortedSet(String.class).zadd("chat:presence:" + carol.id(), expiry, "a-dead-instance");
        redis.sortedSet(String.class).zadd(Presence.USERS, expiry, carol.id());
        assertEquals("online", status(bob, room, carol.id()).getString("status"));

        JsonObject offline = bobs.next("presence", f -> about(carol.id(), "offline", f));
        // last seen at the dead instance's last heartbeat (expiry minus the ttl of 2 s), not at the sweep
        assertEquals(expiry - 2_000, Instant.parse(offline.getString("lastSeenAt")).toEpochMilli());
        assertEquals("offline", status(bob, room, carol.id()).getString("status"));
        assertTrue(redis.sortedSet(String.class).zscore(Presence.USERS, carol.id()).isEmpty());
        // announced once, by whichever instance swept first
        assertNull(bobs.within("presence", 1_000));
    }

    @Test
    void presenceIsForMembersOnly() {
        Users alice = Users.fresh();
        String room = alice.group();
        Users.fresh().call().get("/api/rooms/" + room + "/presence").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void typingExpiresWithoutARefreshAndEndsWhenTheSocketCloses() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        FrameClient alices = FrameClient.connect(base, "/ws/chat", alice.token());
        alices.next("ready");
        FrameClient bobs = FrameClient.connect(base, "/ws/chat", bob.token());
        bobs.next("ready");

        bobs.send(new JsonObject().put("type", "typing").put("roomId", room).put("typing", true));
        assertEquals(true, alices.next("typing").getBoolean("typing"));
        long started = System.nanoTime();
        // no refresh: after the expiry (1.5 s in tests) the room hears typing:false
        JsonObject stopped = alices.next("typing");
        assertEquals(false, stopped.getBoolean("typing"));
        assertEquals(bob.id(), stopped.getString("userId"));
        long waited = (System.nanoTime() - started) / 1_000_000;
        assertEquals(true, waited >= 1_000, "expired after " + waited + " ms");

        // refreshed within the expiry: one typing:true passed on per second, no false meanwhile
        for (int i = 0; i < 6; i++) {
            bobs.send(new JsonObject().put("type", "typing").put("roomId", room).put("typing", true));
            Thread.sleep(400);
        }
        int passedOn = 0;
        for (JsonObject frame = alices.frames().poll(); frame != null; frame = alices.frames().poll()) {
            if ("typing".equals(frame.getString("type"))) {
                assertEquals(true, frame.getBoolean("typing"), "typing stopped while refreshed");
                passedOn++;
            }
        }
        assertEquals(true, passedOn >= 1 && passedOn <= 3, passedOn + " typing frames in 2.4 s");
        bobs.close();
        assertEquals(false, alices.next("typing").getBoolean("typing"));
        // the socket the client closed ends with the close handshake completed normally
        assertEquals(1000, bobs.closed().get(10, TimeUnit.SECONDS));
    }

    private static JsonObject status(Users asking, String room, String userId) {
        JsonObject statuses = new JsonObject(asking.call().get("/api/rooms/" + room + "/presence").then().statusCode(200)
                .extract().asString());
        return statuses.getJsonArray("items").stream().map(JsonObject.class::cast)
                .filter(s -> userId.equals(s.getString("userId"))).findFirst().orElseThrow();
    }
}
