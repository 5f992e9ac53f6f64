package io.talkline.chat.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.Users;
import io.talkline.commons.testing.FrameClient;
import io.vertx.core.json.JsonObject;

@QuarkusTest
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
        Users carol = Users.fresh();
        String room = alice.group(bob, carol);
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

        // one device of two goes: still online. The phone was typing, so the room hearing typing:false
        // tells that the server handled its close — an offline announcement would be queued by then.
        phone.send(new JsonObject().put("type", "typing").put("roomId", room).put("typing", true));
        bobs.next("typing", f -> alice.id().equals(f.getString("userId")) && f.getBoolean("typing"));
        phone.close();
        assertEquals(1000, phone.closed().get(10, TimeUnit.SECONDS));
        List<JsonObject> meanwhile = until(bobs,
                f -> "typing".equals(f.getString("type")) && alice.id().equals(f.getString("userId"))
                        && !f.getBoolean("typing"));
        assertTrue(meanwhile.stream().noneMatch(f -> "presence".equals(f.getString("type"))),
                "no presence change while another device is connected: " + meanwhile);
        // presence changes reach the room one after the other, in the order they happened: carol coming
        // online after that close is the next presence frame, with no "alice offline" before it
        FrameClient carols = FrameClient.connect(base, "/ws/chat", carol.token());
        carols.next("ready");
        JsonObject next = bobs.next("presence");
        assertEquals(carol.id() + " online", next.getString("userId") + " " + next.getString("status"),
                "no presence change while another device is connected: " + next);
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
        Users erin = Users.fresh();
        String room = bob.group(carol, erin);
        FrameClient bobs = FrameClient.connect(base, "/ws/chat", bob.token());
        bobs.next("ready");
        // carol's and erin's sockets are on an instance that stopped heartbeating (killed): their entries
        // are all that is left. Erin's expire a second later, several sweeps (every 300 ms) after carol's.
        long expiry = System.currentTimeMillis() + 1_000;
        long erinsExpiry = expiry + 1_000;
        redis.sortedSet(String.class).zadd("chat:presence:" + carol.id(), expiry, "a-dead-instance");
        redis.sortedSet(String.class).zadd(Presence.USERS, expiry, carol.id());
        redis.sortedSet(String.class).zadd("chat:presence:" + erin.id(), erinsExpiry, "a-dead-instance");
        redis.sortedSet(String.class).zadd(Presence.USERS, erinsExpiry, erin.id());
        assertEquals("online", status(bob, room, carol.id()).getString("status"));

        JsonObject offline = bobs.next("presence", f -> about(carol.id(), "offline", f));
        // last seen at the dead instance's last heartbeat (expiry minus the ttl of 2 s), not at the sweep
        assertEquals(expiry - 2_000, Instant.parse(offline.getString("lastSeenAt")).toEpochMilli());
        assertEquals("offline", status(bob, room, carol.id()).getString("status"));
        assertTrue(redis.sortedSet(String.class).zscore(Presence.USERS, carol.id()).isEmpty());
        // announced once: sweeps run one after the other and take expired users oldest first, so
        // carol announced again by any later sweep would come before erin, whom a later sweep announces
        JsonObject next = bobs.next("presence");
        assertEquals(erin.id() + " offline", next.getString("userId") + " " + next.getString("status"),
                "carol announced offline once: " + next);
        assertEquals(erinsExpiry - 2_000, Instant.parse(next.getString("lastSeenAt")).toEpochMilli());
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

        // refreshed (every 250 ms, as a client does while typing) within the expiry: passed on at most once a
        // second, and no false meanwhile. The explicit typing:false after the refreshes is ordered after
        // anything the refreshes caused, so what arrives before it is all there is to count.
        long first = System.currentTimeMillis();
        for (int i = 0; i < 10; i++) {
            bobs.send(new JsonObject().put("type", "typing").put("roomId", room).put("typing", true));
            Thread.sleep(250); // the client's pace, not a wait for the server
        }
        bobs.send(new JsonObject().put("type", "typing").put("roomId", room).put("typing", false));
        int passedOn = 0;
        for (JsonObject frame = alices.next("typing"); frame.getBoolean("typing"); frame = alices.next("typing")) {
            passedOn++;
        }
        long span = System.currentTimeMillis() - first;
        // the server saw the refreshes within `span`: at most one passed on per started second of it
        assertTrue(passedOn >= 2 && passedOn <= span / 1_000 + 1, passedOn + " typing frames in " + span + " ms");

        // the socket closes while typing: the room hears typing:false at once, not only at the expiry
        bobs.send(new JsonObject().put("type", "typing").put("roomId", room).put("typing", true));
        long typingSent = System.currentTimeMillis();
        assertEquals(true, alices.next("typing").getBoolean("typing"));
        bobs.close();
        assertEquals(false, alices.next("typing").getBoolean("typing"));
        long heard = System.currentTimeMillis() - typingSent;
        // the expiry (1.5 s) runs from when the server got the typing frame, after typingSent: a false
        // before then came from the close
        assertTrue(heard < 1_500, "typing:false " + heard + " ms after typing, not before the expiry");
        // the socket the client closed ends with the close handshake completed normally
        assertEquals(1000, bobs.closed().get(10, TimeUnit.SECONDS));
    }

    /** The frames that arrive before the first that matches (which is taken too); fails after 15 s. */
    private static List<JsonObject> until(FrameClient client, Predicate<JsonObject> matching) throws InterruptedException {
        List<JsonObject> before = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            JsonObject frame = client.frames().poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && matching.test(frame)) {
                return before;
            }
            if (frame != null) {
                before.add(frame);
            }
        }
        throw new AssertionError("no matching frame within 15 s; got " + before);
    }

    private static JsonObject status(Users asking, String room, String userId) {
        JsonObject statuses = new JsonObject(asking.call().get("/api/rooms/" + room + "/presence").then().statusCode(200)
                .extract().asString());
        return statuses.getJsonArray("items").stream().map(JsonObject.class::cast)
                .filter(s -> userId.equals(s.getString("userId"))).findFirst().orElseThrow();
    }
}
