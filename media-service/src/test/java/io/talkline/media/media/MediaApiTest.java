package io.talkline.media.media;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import javax.imageio.ImageIO;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.talkline.commons.testing.Metrics;
import io.talkline.commons.testing.TestTokens;
import io.talkline.media.MediaTestResource;

/** The /api/media contract against the real S3 server, database and tokens. */
@QuarkusTest
class MediaApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static ValidatableResponse upload(String token, String kind, String fileName, String declaredType, byte[] bytes) {
        return given().header("Authorization", "Bearer " + token).multiPart("kind", kind)
                .multiPart("file", fileName, bytes, declaredType).post("/api/media").then();
    }

    static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(width / 2, height / 2, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** Bytes that begin like a PDF (a file of kind "file"), then noise that does not compress. */
    static byte[] pdfLike(long size) {
        byte[] bytes = new byte[(int) size];
        ThreadLocalRandom.current().nextBytes(bytes);
        byte[] head = "%PDF-1.7\n".getBytes();
        System.arraycopy(head, 0, bytes, 0, head.length);
        return bytes;
    }

    static String user() {
        return UUID.randomUUID().toString();
    }

    static HttpResponse<byte[]> fetch(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void anImageIsStoredMeasuredAndServedInlineThroughAShortLivedUrl() throws Exception {
        String alice = user();
        String token = TestTokens.token(alice);
        byte[] png = png(40, 30);
        JsonPath stored = upload(token, "image", "../../etc/holiday \"beach\".png", "application/octet-stream", png)
                .statusCode(201).contentType("application/json").body("kind", equalTo("image"))
                .body("contentType", equalTo("image/png")).body("size", equalTo(png.length))
                .body("sha256", equalTo(Bucket.sha256(png))).body("status", equalTo("complete"))
                .body("ownerId", equalTo(alice)).extract().jsonPath();
        // the name keeps what a person recognises, never a path or a quote
        assertEquals("holiday _beach_.png", stored.getString("fileName"));

        String id = stored.getString("id");
        JsonPath view = given().header("Authorization", "Bearer " + token).get("/api/media/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("url", startsWith("http://127.0.0.1:")).extract().jsonPath();
        HttpResponse<byte[]> content = fetch(view.getString("url"));
        assertEquals(200, content.statusCode());
        assertTrue(Arrays.equals(png, content.body()), "the very bytes come back");
        assertEquals("image/png", content.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(content.headers().firstValue("Content-Disposition").orElseThrow().startsWith("inline;"));

        // /content is a 302 to such a URL
        String location = given().header("Authorization", "Bearer " + token).redirects().follow(false)
                .get("/api/media/" + id + "/content").then().statusCode(302).extract().header("Location");
        assertEquals(200, fetch(location).statusCode());
    }

    @Test
    void aVoiceNoteRecordedInABrowserGetsItsDurationAndWaveform() throws Exception {
        String token = TestTokens.token(user());
        byte[] webm;
        try (var in = MediaApiTest.class.getResourceAsStream("/analysis/voice-3s.webm")) {
            webm = in.readAllBytes(); // Chromium's MediaRecorder, 3 s of its fake microphone (analysis/README.md)
        }
        JsonPath voice = upload(token, "voice", "note.webm", "audio/webm", webm).statusCode(201)
                .body("contentType", equalTo("audio/webm")).extract().jsonPath();
        long duration = voice.getLong("durationMs");
        assertTrue(duration >= 2500 && duration <= 3600, "about 3 s: " + duration);
        java.util.List<Integer> waveform = voice.getList("waveform", Integer.class);
        assertTrue(!waveform.isEmpty() && waveform.size() <= 64, waveform.toString());
        assertEquals(100, waveform.stream().mapToInt(Integer::intValue).max().orElseThrow());
        assertTrue(waveform.stream().anyMatch(peak -> peak < 50), "beeps and quiet parts: " + waveform);
    }

    @Test
    void anImageGetsItsSizeAndAThumbnailServedLikeItself() throws Exception {
        String token = TestTokens.token(user());
        JsonPath image = upload(token, "image", "wide.png", "image/png", png(800, 400)).statusCode(201)
                .body("width", equalTo(800)).body("height", equalTo(400)).extract().jsonPath();
        String thumbnail = given().header("Authorization", "Bearer " + token).get("/api/media/" + image.getString("id"))
                .then().statusCode(200).extract().path("thumbnailUrl");
        HttpResponse<byte[]> served = fetch(thumbnail);
        assertEquals(200, served.statusCode());
        BufferedImage small = ImageIO.read(new java.io.ByteArrayInputStream(served.body()));
        assertEquals(320, small.getWidth());
        assertEquals(160, small.getHeight());
        // a file is not analysed
        upload(token, "file", "x.pdf", "application/pdf", pdfLike(1000)).statusCode(201)
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("width")));
    }

    @Test
    void aPresignedUrlStopsWorkingWhenItsSignatureIsAlteredAndWhenItExpires() throws Exception {
        String token = TestTokens.token(user());
        String id = upload(token, "image", "a.png", "image/png", png(8, 8)).statusCode(201).extract().path("id");
        String url = given().header("Authorization", "Bearer " + token).get("/api/media/" + id).then().statusCode(200)
                .extract().path("url");
        assertEquals(200, fetch(url).statusCode());
        int signature = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char flipped = url.charAt(signature) == 'a' ? 'b' : 'a';
        String altered = url.substring(0, signature) + flipped + url.substring(signature + 1);
        assertEquals(403, fetch(altered).statusCode());
        // media.download-ttl is 3 s in the tests
        Awaitility.await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15))
                .until(() -> fetch(url).statusCode() == 403);
    }

    @Test
    void aFileOfSeveralPartsIsStreamedWholeAndAnyTypeIsOnlyEverADownload() throws Exception {
        String token = TestTokens.token(user());
        byte[] big = pdfLike(MediaTestResource.PART * 2 + 12345); // three parts
        long before = Bucket.objects();
        double uploads = Metrics.value("talkline_media_uploads_total", "kind=file");
        double bytes = Metrics.value("talkline_media_uploaded_bytes_total", "kind=file");
        JsonPath stored = upload(token, "file", "report.pdf", "application/pdf", big).statusCode(201)
                .body("contentType", equalTo("application/pdf")).body("size", equalTo(big.length))
                .body("sha256", equalTo(Bucket.sha256(big))).extract().jsonPath();
        assertEquals(uploads + 1, Metrics.value("talkline_media_uploads_total", "kind=file"));
        assertEquals(bytes + big.length, Metrics.value("talkline_media_uploaded_bytes_total", "kind=file"));
        assertEquals(before + 1, Bucket.objects());
        String url = given().header("Authorization", "Bearer " + token).get("/api/media/" + stored.getString("id")).then()
                .statusCode(200).extract().path("url");
        HttpResponse<byte[]> content = fetch(url);
        assertTrue(Arrays.equals(big, content.body()));
        assertTrue(content.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));

        // HTML is a file like any other, served as bytes to save, never as a page
        byte[] html = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".getBytes();
        String page = upload(token, "file", "page.html", "text/html", html).statusCode(201)
                .body("contentType", equalTo("text/html")).extract().path("id");
        HttpResponse<byte[]> served = fetch(given().header("Authorization", "Bearer " + token).get("/api/media/" + page)
                .then().statusCode(200).extract().path("url"));
        assertEquals("application/octet-stream", served.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(served.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
    }

    @Test
    void aTypeJudgedFromTheBytesThatTheKindDoesNotAllowIs415AndNothingIsKept() {
        String token = TestTokens.token(user());
        long before = Bucket.objects();
        upload(token, "image", "cat.png", "image/png", "just some text, not a picture\n".getBytes()).statusCode(415)
                .contentType("application/problem+json").body("errors[0].field", equalTo("file"))
                .body("detail", org.hamcrest.Matchers.containsString("text/plain"));
        upload(token, "voice", "note.webm", "audio/webm", pdfLike(2000)).statusCode(415)
                .contentType("application/problem+json");
        assertEquals(before, Bucket.objects());
    }

    @Test
    void tooLargeIs413WhileStreamingAndNoObjectOrPartIsLeft() throws Exception {
        String token = TestTokens.token(user());
        long before = Bucket.objects();
        int unfinishedBefore = Bucket.unfinishedUploads();
        // one read: refused before anything is sent to S3
        byte[] image = Arrays.copyOf(png(4, 4), (int) MediaTestResource.IMAGE_LIMIT + 1);
        upload(token, "image", "big.png", "image/png", image).statusCode(413).contentType("application/problem+json")
                .body("errors[0].field", equalTo("file"));
        // over several parts: two are sent before the limit shows, then the multipart upload is aborted
        upload(token, "file", "big.pdf", "application/pdf", pdfLike(MediaTestResource.FILE_LIMIT + 1)).statusCode(413)
                .contentType("application/problem+json");
        assertEquals(before, Bucket.objects());
        assertEquals(unfinishedBefore, Bucket.unfinishedUploads(), "the aborted upload's parts are gone");
    }

    @Test
    void badFormsAre400NamingTheField() {
        String token = TestTokens.token(user());
        given().header("Authorization", "Bearer " + token).multiPart("file", "a.png", new byte[] { 1 }, "image/png")
                .multiPart("kind", "image").post("/api/media").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("kind"));
        given().header("Authorization", "Bearer " + token).multiPart("kind", "video").multiPart("file", "a", new byte[] { 1 })
                .post("/api/media").then().statusCode(400).body("errors[0].field", equalTo("kind"));
        given().header("Authorization", "Bearer " + token).multiPart("kind", "image").post("/api/media").then()
                .statusCode(400).body("errors[0].field", equalTo("file"));
        given().header("Authorization", "Bearer " + token).multiPart("kind", "file").multiPart("file", "e", new byte[0])
                .post("/api/media").then().statusCode(400).body("errors[0].field", equalTo("file"));
        given().header("Authorization", "Bearer " + token).contentType("application/json").body("{}").post("/api/media")
                .then().statusCode(415).contentType("application/problem+json");
        given().multiPart("kind", "image").multiPart("file", "a.png", new byte[] { 1 }).post("/api/media").then()
                .statusCode(401);
    }

    @Test
    void aStrangerSeesNothingAndOnlyTheOwnerOrAnAdminDeletes() throws Exception {
        String alice = TestTokens.token(user());
        String stranger = TestTokens.token(user());
        String id = upload(alice, "image", "a.png", "image/png", png(5, 5)).statusCode(201).extract().path("id");
        for (var request : new String[] { "/api/media/" + id, "/api/media/" + id + "/content" }) {
            given().header("Authorization", "Bearer " + stranger).redirects().follow(false).get(request).then()
                    .statusCode(404).contentType("application/problem+json");
        }
        given().header("Authorization", "Bearer " + stranger).delete("/api/media/" + id).then().statusCode(404);
        given().header("Authorization", "Bearer " + alice).get("/api/media/no-such-id").then().statusCode(404);

        given().header("Authorization", "Bearer " + alice).delete("/api/media/" + id).then().statusCode(204);
        given().header("Authorization", "Bearer " + alice).get("/api/media/" + id).then().statusCode(404);
        assertTrue(!Bucket.exists("media/" + id), "the object goes with it");

        String other = upload(alice, "image", "b.png", "image/png", png(5, 5)).statusCode(201).extract().path("id");
        given().header("Authorization", "Bearer " + TestTokens.token(user(), "admin")).delete("/api/media/" + other).then()
                .statusCode(204);
        assertTrue(!Bucket.exists("media/" + other));
    }
}
