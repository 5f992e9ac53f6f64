package io.talkline.media.media;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.talkline.commons.testing.TestTokens;
import io.talkline.media.MediaTestResource;

/** Direct upload: a presigned PUT, then /complete measures what arrived as a streamed upload would be. */
@QuarkusTest
class DirectUploadTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static JsonPath start(String token, String kind, long size) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body(Map.of("fileName", "direct.png", "contentType", "image/png", "size", size, "kind", kind))
                .post("/api/media/uploads").then().statusCode(201).extract().jsonPath();
    }

    static int put(String url, byte[] bytes) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aPresignedPutCompletedIsMeasuredLikeAStreamedUpload() throws Exception {
        String token = TestTokens.token(UUID.randomUUID().toString());
        byte[] png = MediaApiTest.png(20, 10);
        JsonPath started = start(token, "image", png.length);
        String id = started.getString("id");
        // nothing uploaded yet: completing is a conflict, and a stranger does not see the item at all
        given().header("Authorization", "Bearer " + token).post("/api/media/" + id + "/complete").then().statusCode(409);
        given().header("Authorization", "Bearer " + TestTokens.token(UUID.randomUUID().toString()))
                .post("/api/media/" + id + "/complete").then().statusCode(404);
        given().header("Authorization", "Bearer " + token).get("/api/media/" + id).then().statusCode(200)
                .body("status", equalTo("pending"));

        assertEquals(200, put(started.getString("uploadUrl"), png));
        given().header("Authorization", "Bearer " + token).post("/api/media/" + id + "/complete").then().statusCode(200)
                .body("status", equalTo("complete")).body("contentType", equalTo("image/png"))
                .body("size", equalTo(png.length)).body("sha256", equalTo(Bucket.sha256(png)));
        // completing again changes nothing
        given().header("Authorization", "Bearer " + token).post("/api/media/" + id + "/complete").then().statusCode(200)
                .body("sha256", equalTo(Bucket.sha256(png)));
    }

    @Test
    void whatDoesNotFitIsRemovedAtCompletion() throws Exception {
        String token = TestTokens.token(UUID.randomUUID().toString());
        // declared too large: refused before any URL is given
        given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body(Map.of("fileName", "x.png", "size", MediaTestResource.IMAGE_LIMIT + 1, "kind", "image"))
                .post("/api/media/uploads").then().statusCode(413).contentType("application/problem+json");

        // declared small, but more arrived: 413 at completion, object and item gone
        JsonPath big = start(token, "image", 100);
        assertEquals(200, put(big.getString("uploadUrl"),
                Arrays.copyOf(MediaApiTest.png(4, 4), (int) MediaTestResource.IMAGE_LIMIT + 10)));
        given().header("Authorization", "Bearer " + token).post("/api/media/" + big.getString("id") + "/complete").then()
                .statusCode(413).contentType("application/problem+json");
        assertFalse(Bucket.exists("media/" + big.getString("id")));
        given().header("Authorization", "Bearer " + token).get("/api/media/" + big.getString("id")).then().statusCode(404);

        // declared a picture, but text arrived: 415, removed
        JsonPath text = start(token, "image", 20);
        assertEquals(200, put(text.getString("uploadUrl"), "plain text, no image\n".getBytes()));
        given().header("Authorization", "Bearer " + token).post("/api/media/" + text.getString("id") + "/complete").then()
                .statusCode(415).body("errors[0].field", equalTo("file"));
        assertFalse(Bucket.exists("media/" + text.getString("id")));
    }
}
