package io.talkline.auth.session;

import static io.talkline.auth.TestUser.me;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.talkline.auth.TestUser;
import io.talkline.commons.auth.RevocationMirror;
import io.talkline.commons.auth.Revocations;
import io.talkline.commons.auth.TokenVerifier;
import io.talkline.commons.testing.OwnPubSub;

/**
 * The verifier's local copy of the revocation keys: used only while provably coherent, rebuilt from
 * Redis after its subscription was lost, and Redis itself is asked in between.
 */
@QuarkusTest
class RevocationMirrorTest {

    @Inject
    RevocationMirror mirror;

    @Inject
    RedisDataSource redis;

    @Inject
    TokenVerifier verifier;

    @Test
    void aLostSubscriptionFallsBackToRedisAndTheRebuiltMirrorHasWhatWasWrittenMeanwhile() {
        JsonPath alice = TestUser.register().login();
        JsonPath bob = TestUser.register().login();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(mirror::coherent);
        me(alice.getString("accessToken")).statusCode(200);

        // cut this service's pub/sub connection (nobody else's): the mirror misses whatever is written now
        int killed = OwnPubSub.kill("auth-service");
        assertTrue(killed >= 1, "no pub/sub connection of this service to cut");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !mirror.coherent());
        // written behind the mirror's back (no message): only Redis knows
        String notBefore = Long.toString(Instant.now().toEpochMilli() + 1);
        redis.value(String.class).set(Revocations.notBeforeKey(alice.getString("user.id")), notBefore,
                new SetArgs().ex(Duration.ofMinutes(5)));
        me(alice.getString("accessToken")).statusCode(401);
        me(bob.getString("accessToken")).statusCode(200);

        // back: subscribed again and loaded from a scan, it knows the key it never heard of
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(mirror::coherent);
        org.junit.jupiter.api.Assertions.assertEquals(notBefore,
                mirror.get(Revocations.notBeforeKey(alice.getString("user.id"))));
        me(alice.getString("accessToken")).statusCode(401);
        me(bob.getString("accessToken")).statusCode(200);
    }

    @Test
    void anotherInstancesRevocationArrivesByMessage() {
        JsonPath carol = TestUser.register().login();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(mirror::coherent);
        String key = Revocations.sessionKey(carol.getString("refreshToken").substring(0, 8) + "-elsewhere");
        redis.pubsub(String.class).publish(Revocations.CHANNEL, Revocations.message(key, "1", 60_000));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "1".equals(mirror.get(key)));
    }

    @Test
    void theSynchronousAnswerIsGivenOnlyForAVerifiedTokenThatTheMirrorHasNotSeenRevoked() {
        JsonPath dave = TestUser.register().login();
        String token = dave.getString("accessToken");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(mirror::coherent);
        org.junit.jupiter.api.Assertions.assertNull(verifier.verifiedNow(token), "never verified: no answer at once");
        verifier.verify(token).await().atMost(Duration.ofSeconds(5));
        org.junit.jupiter.api.Assertions.assertEquals(dave.getString("user.id"), verifier.verifiedNow(token).userId());

        String notBefore = Long.toString(Instant.now().toEpochMilli() + 1);
        redis.pubsub(String.class).publish(Revocations.CHANNEL,
                Revocations.message(Revocations.notBeforeKey(dave.getString("user.id")), notBefore, 60_000));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> verifier.verifiedNow(token) == null);
    }
}
