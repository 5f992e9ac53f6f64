package io.talkline.media.media;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.TestTokens;
import io.talkline.commons.testing.TopicReader;

/** Uploads never completed, or never attached, are removed once their time is up — object and all. */
@QuarkusTest
@TestProfile(SweepTest.ShortLived.class)
class SweepTest {

    public static class ShortLived implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("media.unattached-ttl", "2s", "media.sweep", "300ms");
        }
    }

    @Test
    void unattachedAndUncompletedUploadsAreRemovedWhenTheirTimeIsUp() throws Exception {
        String token = TestTokens.token(UUID.randomUUID().toString());
        try (TopicReader media = new TopicReader(Topics.MEDIA)) {
            String streamed = MediaApiTest.upload(token, "image", "a.png", "image/png", MediaApiTest.png(3, 3))
                    .statusCode(201).extract().path("id");
            String pending = DirectUploadTest.start(token, "image", 10).getString("id");
            // there until the time is up
            given().header("Authorization", "Bearer " + token).get("/api/media/" + streamed).then().statusCode(200);

            for (String id : new String[] { streamed, pending }) {
                Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                        .header("Authorization", "Bearer " + token).get("/api/media/" + id).then().statusCode(404));
            }
            assertFalse(Bucket.exists("media/" + streamed), "the object goes with the item");
            var deleted = media.await(r -> streamed.equals(r.key()) && r.event().type().equals("media.deleted"), 1,
                    Duration.ofSeconds(20)).getFirst();
            assertEquals("unattached", deleted.event().payload().get("reason").asText());
        }
    }
}
