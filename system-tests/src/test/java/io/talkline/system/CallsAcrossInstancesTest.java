package io.talkline.system;

import static io.talkline.commons.testing.FrameClient.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.TopicReader;
import io.talkline.devstack.Platform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * signaling-service as deployed: two processes sharing Redis, MySQL and Kafka, rooms from a real
 * chat-service, real tokens from auth-service. Callers sit on different instances, so every frame
 * crosses Redis. (Ring timeout 3 s and participant ttl 5 s here: system-tests pom.)
 */
class CallsAcrossInstancesTest {

    private static final int BASE_PORT = 18480;
    private static Platform platform;
    private static Platform.Instance auth;
    private static Platform.Instance chat;
    private static Platform.Instance sig1;
    private static Platform.Instance sig2;

    @BeforeAll
    static void startPlatform() {
        // the gateway serves the call test page (as it serves the web client) on its origin
        platform = TestUser.platform("run-calls", BASE_PORT, Map.of(
                "gateway.web.root", Path.of("target/test-classes/call-page").toAbsolutePath().toString(),
                "gateway.cors.origins", "http://localhost:" + BASE_PORT));
        auth = platform.instance("auth-service").orElseThrow();
        chat = platform.instance("chat-service-1").orElseThrow();
        sig1 = platform.instance("signaling-service-1").orElseThrow();
        sig2 = platform.instance("signaling-service-2").orElseThrow();
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.down();
        }
    }

    /** One device of a user: a /ws/signal socket on one instance. */
    record Phone(TestUser user, FrameClient socket) {

        JsonObject next(String type) throws InterruptedException {
            return socket.next(type);
        }

        JsonObject next(String type, String callId) throws InterruptedException {
            return socket.next(type, f -> callId.equals(f.getString("callId")));
        }

        void send(String type, Object... fields) throws Exception {
            JsonObject frame = new JsonObject().put("type", type);
            for (int i = 0; i < fields.length; i += 2) {
                frame.put((String) fields[i], fields[i + 1]);
            }
            socket.send(frame);
        }

        /** Places a call; its id. */
        String call(String roomId, String media) throws Exception {
            send("call.invite", "roomId", roomId, "media", media);
            return next("call.created").getString("callId");
        }
    }

    private static TestUser user() {
        return TestUser.register(auth);
    }

    private static String direct(TestUser a, TestUser b) {
        return a.at(chat).body(new JsonObject(Map.of("type", "direct", "memberIds", List.of(b.id()))).encode())
                .post("/api/rooms").then().statusCode(201).extract().path("id");
    }

    private static String group(TestUser owner, TestUser... members) {
        return owner.at(chat).body(new JsonObject(Map.of("type", "group", "name", "call", "memberIds",
                List.of(members).stream().map(TestUser::id).toList())).encode()).post("/api/rooms").then().statusCode(201)
                .extract().path("id");
    }

    private static Phone phone(TestUser user, Platform.Instance instance) throws Exception {
        FrameClient client = FrameClient.connect(
                URI.create("ws://127.0.0.1:" + instance.port() + "/ws/signal?access_token=" + user.token()));
        JsonObject ready = client.next("ready");
        assertEquals(user.id(), ready.getString("userId"));
        return new Phone(user, client);
    }

    private static JsonPath history(TestUser user, Platform.Instance instance, String roomId) {
        return user.at(instance).queryParam("roomId", roomId).get("/api/calls").then().statusCode(200).extract().jsonPath();
    }

    private static Set<Object> set(JsonArray array) {
        return Set.copyOf(array.getList());
    }

    /** a calls b, b answers: a call of two, each side told. */
    private static String answered(Phone a, Phone b, String room, String media) throws Exception {
        String callId = a.call(room, media);
        b.next("call.incoming", callId);
        b.send("call.accept", "callId", callId);
        b.next("call.joined", callId);
        a.next("call.participant.joined", callId);
        return callId;
    }

    @Test
    void aOneToOneCallAcrossInstancesRingsConnectsRelaysAndHangsUp() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = direct(alice, bob);
        try (TopicReader calls = new TopicReader(Topics.CALLS)) {
            Phone a = phone(alice, sig1);
            Phone b = phone(bob, sig2);
            String callId = a.call(room, "video");

            JsonObject incoming = b.next("call.incoming", callId);
            assertEquals(room, incoming.getString("roomId"));
            assertEquals(alice.id(), incoming.getString("from"));
            assertEquals("video", incoming.getString("media"));

            b.send("call.accept", "callId", callId);
            assertEquals(bob.id(), a.next("call.accepted", callId).getString("userId"));
            assertEquals(bob.id(), a.next("call.participant.joined", callId).getString("userId"));
            JsonObject joined = b.next("call.joined", callId);
            assertEquals(new JsonArray().add(alice.id()), joined.getJsonArray("participants"));

            // whoever joins offers to those already in the call; relayed unchanged, with from instead of to
            String sdp = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
            b.send("signal.offer", "callId", callId, "to", alice.id(), "sdp", sdp);
            JsonObject offer = a.next("signal.offer", callId);
            assertEquals(sdp, offer.getString("sdp"));
            assertEquals(bob.id(), offer.getString("from"));
            assertNull(offer.getString("to"));
            a.send("signal.answer", "callId", callId, "to", bob.id(), "sdp", sdp + "a=answer\r\n");
            assertEquals(sdp + "a=answer\r\n", b.next("signal.answer", callId).getString("sdp"));
            JsonObject candidate = new JsonObject().put("candidate", "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host")
                    .put("sdpMid", "0").put("sdpMLineIndex", 0);
            a.send("signal.ice", "callId", callId, "to", bob.id(), "candidate", candidate);
            assertEquals(candidate, b.next("signal.ice", callId).getJsonObject("candidate"));
            a.send("call.media", "callId", callId, "audio", false, "video", true);
            JsonObject media = b.next("call.media", callId);
            assertEquals(alice.id(), media.getString("userId"));
            assertEquals(false, media.getBoolean("audio"));

            a.send("call.leave", "callId", callId);
            assertEquals("hangup", b.next("call.ended", callId).getString("reason"));

            // history, on the other instance, and the events
            JsonPath page = awaitEnded(bob, sig2, room);
            assertEquals(callId, page.getString("items[0].id"));
            assertEquals("completed", page.getString("items[0].outcome"));
            assertEquals("video", page.getString("items[0].media"));
            assertEquals(alice.id(), page.getString("items[0].initiatorId"));
            assertEquals(Set.of(alice.id(), bob.id()), Set.copyOf(page.getList("items[0].participants")));
            assertNotNull(page.getString("items[0].startedAt"));
            assertTrue(page.getInt("items[0].durationSeconds") >= 0);
            List<TopicReader.Received> events = calls.await(r -> callId.equals(r.event().payload().path("callId").asText()),
                    2, Duration.ofSeconds(20));
            assertEquals(List.of("call.started", "call.ended"), events.stream().map(r -> r.event().type()).toList());
            assertEquals(room, events.get(1).key());
            assertEquals("completed", events.get(1).event().payload().path("outcome").asText());
        }
    }

    /** History is written by whichever instance gets to it within a second or so. */
    private static JsonPath awaitEnded(TestUser user, Platform.Instance instance, String room) {
        return Awaitility.await("an ended call in the history of room " + room).atMost(Duration.ofSeconds(15))
                .until(() -> history(user, instance, room),
                        page -> page.getList("items").size() > 0 && !"ongoing".equals(page.getString("items[0].outcome")));
    }

    @Test
    void aRejectedCallEndsForTheCallerAndIsRecordedAsRejected() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = direct(alice, bob);
        Phone a = phone(alice, sig1);
        Phone b = phone(bob, sig2);
        String callId = a.call(room, "audio");
        b.next("call.incoming", callId);
        b.send("call.reject", "callId", callId);
        assertEquals(bob.id(), a.next("call.rejected", callId).getString("userId"));
        assertEquals("rejected", a.next("call.ended", callId).getString("reason"));
        assertEquals("rejected", awaitEnded(alice, sig1, room).getString("items[0].outcome"));
    }

    @Test
    void callingSomeoneInAnotherCallAnswersBusy() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        TestUser carol = user();
        Phone b = phone(bob, sig2);
        Phone c = phone(carol, sig1);
        String bobAndCarol = c.call(direct(carol, bob), "audio");
        b.next("call.incoming", bobAndCarol);
        b.send("call.accept", "callId", bobAndCarol);
        c.next("call.accepted", bobAndCarol);

        Phone a = phone(alice, sig1);
        String room = direct(alice, bob);
        String callId = a.call(room, "video");
        assertEquals("busy", a.next("call.ended", callId).getString("reason"));
        // a busy user is not rung: carol's offer, sent to bob's channel after, arrives with no ring before it
        c.send("signal.offer", "callId", bobAndCarol, "to", bob.id(), "sdp", "v=0 after the busy call");
        b.socket().nextWithout(ofType("signal.offer"), ofType("call.incoming"));
        assertEquals("busy", awaitEnded(alice, sig1, room).getString("items[0].outcome"));
        // and bob, in a call, cannot place another one
        b.send("call.invite", "roomId", room, "media", "audio");
        JsonObject error = b.next("error");
        assertEquals("busy", error.getString("code"));
        assertEquals(bobAndCarol, error.getString("callId"));
    }

    @Test
    void anUnansweredCallTimesOutForEveryoneAndIsAMissedCall() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = direct(alice, bob);
        Phone a = phone(alice, sig1);
        Phone b = phone(bob, sig2);
        String callId = a.call(room, "audio");
        b.next("call.incoming", callId);
        assertEquals("timeout", a.next("call.ended", callId).getString("reason"));
        assertEquals("timeout", b.next("call.ended", callId).getString("reason"));
        JsonPath page = awaitEnded(bob, sig2, room);
        assertEquals("missed", page.getString("items[0].outcome"));
        assertEquals(List.of(bob.id()), page.getList("items[0].missed"));
        assertNull(page.getString("items[0].startedAt"));
    }

    @Test
    void aDeviceThatConnectsWhileACallRingsIsToldOfItAndCanAnswer() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = direct(alice, bob);
        Phone a = phone(alice, sig1);
        String callId = a.call(room, "video");
        FrameClient late = FrameClient.connect(
                URI.create("ws://127.0.0.1:" + sig2.port() + "/ws/signal?access_token=" + bob.token()));
        JsonObject ready = late.next("ready");
        JsonObject ringing = ready.getJsonArray("ringing").getJsonObject(0);
        assertEquals(callId, ringing.getString("callId"));
        assertEquals(alice.id(), ringing.getString("from"));
        assertEquals("video", ringing.getString("media"));
        new Phone(bob, late).send("call.accept", "callId", callId);
        assertEquals(bob.id(), a.next("call.accepted", callId).getString("userId"));
        // once answered, a further device is told of the call bob is in, not of a ringing one
        FrameClient third = FrameClient.connect(
                URI.create("ws://127.0.0.1:" + sig1.port() + "/ws/signal?access_token=" + bob.token()));
        JsonObject readyAgain = third.next("ready");
        assertEquals(callId, readyAgain.getJsonObject("call").getString("callId"));
        assertTrue(readyAgain.getJsonArray("ringing").isEmpty(), readyAgain.encode());
        a.send("call.leave", "callId", callId);
    }

    @Test
    void theCallerHangingUpWhileRingingStopsTheRinging() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = direct(alice, bob);
        Phone a = phone(alice, sig1);
        Phone b = phone(bob, sig2);
        String callId = a.call(room, "audio");
        b.next("call.incoming", callId);
        a.send("call.leave", "callId", callId);
        assertEquals("hangup", b.next("call.ended", callId).getString("reason"));
        assertEquals("cancelled", awaitEnded(alice, sig1, room).getString("items[0].outcome"));
    }

    @Test
    void acceptingOnOneDeviceStopsTheOtherAndSignalsReachOnlyTheDeviceInTheCall() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = direct(alice, bob);
        Phone a = phone(alice, sig1);
        Phone bobsLaptop = phone(bob, sig1);
        Phone bobsPhone = phone(bob, sig2);
        String callId = a.call(room, "video");
        bobsLaptop.next("call.incoming", callId);
        bobsPhone.next("call.incoming", callId);
        bobsPhone.send("call.accept", "callId", callId);
        assertEquals(bob.id(), bobsLaptop.next("call.accepted", callId).getString("userId"));
        bobsPhone.next("call.joined", callId);
        a.next("call.participant.joined", callId);

        a.send("signal.offer", "callId", callId, "to", bob.id(), "sdp", "v=0 to the phone");
        assertEquals("v=0 to the phone", bobsPhone.next("signal.offer", callId).getString("sdp"));
        // the laptop is not in the call: it can neither relay nor accept again
        bobsLaptop.send("signal.answer", "callId", callId, "to", alice.id(), "sdp", "v=0");
        assertEquals("not_found", bobsLaptop.next("error").getString("code"));
        bobsLaptop.send("call.accept", "callId", callId);
        assertEquals("not_found", bobsLaptop.next("error").getString("code"));
        bobsPhone.send("call.leave", "callId", callId);
        assertEquals("hangup", a.next("call.ended", callId).getString("reason"));
        // the offer went to bob's channel for the phone alone: the next ring, on the same channel,
        // reaches the laptop with no offer before it
        String next = a.call(room, "audio");
        bobsLaptop.socket().nextWithout(f -> next.equals(f.getString("callId")) && "call.incoming".equals(f.getString("type")),
                ofType("signal.offer"));
    }

    @Test
    void aThreePartyMeshJoinsAndLeaves() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        TestUser carol = user();
        String room = group(alice, bob, carol);
        Phone a = phone(alice, sig1);
        Phone b = phone(bob, sig2);
        Phone c = phone(carol, sig2);
        String callId = a.call(room, "video");
        b.next("call.incoming", callId);
        c.next("call.incoming", callId);
        b.send("call.accept", "callId", callId);
        b.next("call.joined", callId);
        a.next("call.participant.joined", callId);

        // carol joins (rather than accepting): she hears who is in, they hear of her
        c.send("call.join", "callId", callId);
        JsonObject joined = c.next("call.joined", callId);
        assertEquals(Set.of(alice.id(), bob.id()), set(joined.getJsonArray("participants")));
        assertEquals(carol.id(), a.next("call.participant.joined", callId).getString("userId"));
        assertEquals(carol.id(), b.next("call.participant.joined", callId).getString("userId"));
        c.send("signal.offer", "callId", callId, "to", alice.id(), "sdp", "v=0 carol to alice");
        c.send("signal.offer", "callId", callId, "to", bob.id(), "sdp", "v=0 carol to bob");
        assertEquals("v=0 carol to alice", a.next("signal.offer", callId).getString("sdp"));
        assertEquals("v=0 carol to bob", b.next("signal.offer", callId).getString("sdp"));
        c.send("call.media", "callId", callId, "audio", true, "video", false);
        assertEquals(carol.id(), a.next("call.media", callId).getString("userId"));
        assertEquals(carol.id(), b.next("call.media", callId).getString("userId"));

        c.send("call.leave", "callId", callId);
        assertEquals(carol.id(), a.next("call.participant.left", callId).getString("userId"));
        assertEquals(carol.id(), b.next("call.participant.left", callId).getString("userId"));
        b.send("call.leave", "callId", callId);
        assertEquals("hangup", a.next("call.ended", callId).getString("reason"));
        JsonPath page = awaitEnded(alice, sig1, room);
        assertEquals(Set.of(alice.id(), bob.id(), carol.id()), Set.copyOf(page.getList("items[0].participants")));
    }

    @Test
    void aMeshCallIsFullAtSixParticipants() throws Exception {
        TestUser owner = user();
        TestUser[] others = new TestUser[6];
        for (int i = 0; i < others.length; i++) {
            others[i] = user();
        }
        String room = group(owner, others);
        Phone first = phone(owner, sig1);
        String callId = first.call(room, "audio");
        List<Phone> phones = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Phone p = phone(others[i], i % 2 == 0 ? sig2 : sig1);
            p.send("call.join", "callId", callId);
            p.next("call.joined", callId);
            phones.add(p);
        }
        Phone seventh = phone(others[5], sig2);
        seventh.send("call.join", "callId", callId);
        JsonObject error = seventh.next("error");
        assertEquals("forbidden", error.getString("code"));
        assertTrue(error.getString("message").contains("full"), error.encode());
        phones.getFirst().send("call.leave", "callId", callId);
        seventh.send("call.join", "callId", callId);
        assertEquals(6, seventh.next("call.joined", callId).getJsonArray("participants").size() + 1);
    }

    @Test
    void nonMembersAndNonParticipantsAreRefused() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        TestUser carol = user();
        TestUser eve = user();
        String room = group(alice, bob, carol);
        Phone a = phone(alice, sig1);
        Phone b = phone(bob, sig2);
        Phone c = phone(carol, sig1);
        Phone e = phone(eve, sig2);
        String callId = a.call(room, "audio");
        b.next("call.incoming", callId);
        b.send("call.accept", "callId", callId);
        b.next("call.joined", callId);

        // eve is not in the room: she cannot call there, join, or see its history
        e.send("call.invite", "roomId", room, "media", "audio");
        assertEquals("not_found", e.next("error").getString("code"));
        e.send("call.join", "callId", callId);
        assertEquals("not_found", e.next("error").getString("code"));
        eve.at(sig1).queryParam("roomId", room).get("/api/calls").then().statusCode(404)
                .contentType("application/problem+json");
        // a member who is not a participant cannot signal into the call, nor be signalled to
        c.send("signal.offer", "callId", callId, "to", alice.id(), "sdp", "v=0 from outside");
        assertEquals("not_found", c.next("error").getString("code"));
        a.send("signal.offer", "callId", callId, "to", carol.id(), "sdp", "v=0 to outside");
        assertEquals("forbidden", a.next("error").getString("code"));
        a.send("signal.ice", "callId", callId, "to", eve.id(), "candidate", new JsonObject().put("candidate", "x"));
        assertEquals("forbidden", a.next("error").getString("code"));
        // nobody, not even a participant, gets a frame that was refused. Each is shown by a frame
        // published after the refusals on that user's channel (calls.lua orders all of them):
        // carol joins, eve places a call of her own, bob offers to alice
        c.send("call.join", "callId", callId);
        c.socket().nextWithout(ofType("call.joined"), ofType("signal.offer"));
        e.send("call.invite", "roomId", direct(eve, user()), "media", "audio");
        e.socket().nextWithout(ofType("call.created"), ofType("signal.ice"));
        b.send("signal.offer", "callId", callId, "to", alice.id(), "sdp", "v=0 from bob");
        a.socket().nextWithout(f -> "v=0 from bob".equals(f.getString("sdp")),
                f -> "v=0 to outside".equals(f.getString("sdp")));
    }

    @Test
    void malformedCallFramesGetErrorsAndTheSocketStays() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = direct(alice, bob);
        Phone a = phone(alice, sig1);
        Phone b = phone(bob, sig2);
        a.send("call.invite", "media", "video");
        assertEquals("bad_request", a.next("error").getString("code"));
        a.send("call.invite", "roomId", room, "media", "hologram");
        JsonObject error = a.next("error");
        assertEquals("bad_request", error.getString("code"));
        assertEquals("call.invite", error.getString("ref"));
        a.send("call.accept");
        assertEquals("bad_request", a.next("error").getString("code"));
        a.send("call.media", "callId", "nope", "audio", "loud", "video", true);
        assertEquals("bad_request", a.next("error").getString("code"));

        String callId = a.call(room, "audio");
        b.send("call.accept", "callId", callId);
        b.next("call.joined", callId);
        b.send("signal.offer", "callId", callId, "sdp", "v=0");
        assertEquals("bad_request", b.next("error").getString("code"));
        b.send("signal.offer", "callId", callId, "to", alice.id(), "sdp", "v".repeat(40_000));
        assertEquals("too_large", b.next("error").getString("code"));
        b.send("signal.ice", "callId", callId, "to", alice.id());
        assertEquals("bad_request", b.next("error").getString("code"));
        b.send("ping");
        b.next("pong");
        b.send("call.leave", "callId", callId);
        assertEquals("hangup", a.next("call.ended", callId).getString("reason"));
    }

    @Test
    void aKilledInstanceLeavesNoGhostParticipant() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = direct(alice, bob);
        Phone a = phone(alice, sig1);
        Phone b = phone(bob, sig2);
        String callId = answered(a, b, room, "audio");
        platform.kill(sig2);
        try {
            long killed = System.currentTimeMillis();
            assertEquals("hangup", a.next("call.ended", callId).getString("reason"));
            assertTrue(System.currentTimeMillis() - killed < 10_000, "ended within the participant ttl and a sweep");
            assertEquals("completed", awaitEnded(alice, sig1, room).getString("items[0].outcome"));
            // bob is free again
            Phone b2 = phone(bob, sig1);
            String next = a.call(room, "audio");
            b2.next("call.incoming", next);
        } finally {
            platform.start(sig2);
            platform.awaitReady(sig2);
        }
    }

    @Test
    void aStoppingInstanceSendsItsSocketsElsewhereAndTheyRejoinTheCall() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = direct(alice, bob);
        Phone a = phone(alice, sig1);
        Phone b = phone(bob, sig2);
        String callId = answered(a, b, room, "video");
        Thread stopping = new Thread(() -> platform.stop(sig2));
        stopping.start();
        try {
            assertEquals(1012, b.socket().closed().get(15, java.util.concurrent.TimeUnit.SECONDS));
            // the client reconnects to the other instance: ready tells it the call it is in, it rejoins
            FrameClient client = FrameClient.connect(
                    URI.create("ws://127.0.0.1:" + sig1.port() + "/ws/signal?access_token=" + bob.token()));
            JsonObject ready = client.next("ready");
            assertEquals(callId, ready.getJsonObject("call").getString("callId"));
            Phone again = new Phone(bob, client);
            again.send("call.join", "callId", callId);
            assertEquals(new JsonArray().add(alice.id()), again.next("call.joined", callId).getJsonArray("participants"));
            assertEquals(bob.id(), a.next("call.participant.joined", callId).getString("userId"));
            // renegotiated, and still one call after the participant ttl has passed
            again.send("signal.offer", "callId", callId, "to", alice.id(), "sdp", "v=0 again");
            assertEquals("v=0 again", a.next("signal.offer", callId).getString("sdp"));
            assertNull(a.socket().within("call.ended", 6_000), "the rejoined call did not end");
            again.send("call.leave", "callId", callId);
            assertEquals("hangup", a.next("call.ended", callId).getString("reason"));
        } finally {
            stopping.join(60_000); // a stop that hangs must not hold the run
            platform.start(sig2);
            platform.awaitReady(sig2);
        }
    }

    /**
     * A real call: two headless Chromium pages signal through the gateway and both signaling
     * instances, ICE relay-only through the devstack coturn with credentials from the endpoint;
     * each side decodes the other's video and receives its audio.
     */
    @Test
    void twoChromiumPagesCallEachOtherThroughTheGatewayWithMediaRelayedByCoturn() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = direct(alice, bob);
        String page = "http://localhost:" + BASE_PORT + "/call.html#room=" + room + "&token=";
        try (BrowserPage callee = new BrowserPage(page + bob.token() + "&role=callee")) {
            // the callee's socket is open (greeted) before the call rings
            Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> Boolean.TRUE.equals(callee.call("report").get("ready")));
            try (BrowserPage caller = new BrowserPage(page + alice.token() + "&role=caller")) {
                List<Map<String, Object>> sides = new ArrayList<>(List.of(Map.of(), Map.of()));
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                        sides.set(0, caller.call("report"));
                        sides.set(1, callee.call("report"));
                        return flowing(sides.get(0)) && flowing(sides.get(1));
                    });
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // the assertions below say which side lacks what
                }
                Map<String, Object> callerSide = sides.get(0);
                Map<String, Object> calleeSide = sides.get(1);
                System.out.println("browser call: caller " + callerSide + " callee " + calleeSide);
                for (Map<String, Object> side : List.of(callerSide, calleeSide)) {
                    assertTrue(((Number) side.get("framesDecoded")).longValue() > 0, "video decoded: " + side);
                    assertTrue(((Number) side.get("audioPackets")).longValue() > 0, "audio received: " + side);
                    assertEquals("relay", side.get("localCandidateType"), "media through TURN only: " + side);
                }
            }
        }
    }

    private static boolean flowing(Map<String, Object> side) {
        return side.get("framesDecoded") instanceof Number frames && frames.longValue() > 0
                && side.get("audioPackets") instanceof Number packets && packets.longValue() > 0
                && "relay".equals(side.get("localCandidateType"));
    }
}
