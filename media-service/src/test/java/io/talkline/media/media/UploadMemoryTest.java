package io.talkline.media.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.talkline.commons.testing.TestTokens;
import io.talkline.media.MediaTestResource;
import io.talkline.media.upload.PartBuffers;
import io.vertx.core.json.JsonObject;

/**
 * Streamed uploads hold their parts within one memory budget: here one part, so an upload reads and
 * sends its parts in turn, and a second upload that needs a part buffer waits, then hears 503 —
 * while uploads smaller than a part, which bring their own length, go on.
 */
@QuarkusTest
@TestProfile(UploadMemoryTest.OnePart.class)
class UploadMemoryTest {

    public static class OnePart implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("media.upload-memory", Long.toString(MediaTestResource.PART), "media.upload-wait", "300ms");
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String BOUNDARY = "talkline-test-boundary";

    @TestHTTPResource("/")
    URL base;

    @Inject
    PartBuffers buffers;

    @Test
    void withOnePartBufferALargeUploadWithoutALengthIsStillStoredWhole() throws Exception {
        String token = TestTokens.token(UUID.randomUUID().toString());
        byte[] file = MediaApiTest.pdfLike(MediaTestResource.PART * 2 + 777); // three parts, sent in turn
        HttpResponse<String> stored = chunked(token, file);
        assertEquals(201, stored.statusCode(), stored.body());
        JsonObject item = new JsonObject(stored.body());
        assertEquals(file.length, item.getLong("size"));
        assertEquals(Bucket.sha256(file), item.getString("sha256"));
        assertArrayEquals(file, Bucket.read("media/" + item.getString("id")));
    }

    @Test
    void whenTheBudgetIsTakenAnUploadWaitsThen503sWhileSmallOnesGoOnAndItFreesWhenTheHolderGoes() throws Exception {
        String token = TestTokens.token(UUID.randomUUID().toString());
        byte[] large = MediaApiTest.pdfLike(MediaTestResource.PART + 1);
        try (Socket holder = holdAnUploadOpen(token)) {
            // nothing else uploads meanwhile, so the holder has the buffer without waiting
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> buffers.inUse() == 1);
            HttpResponse<String> refused = chunked(token, large);
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("5", refused.headers().firstValue("Retry-After").orElseThrow());
            assertEquals(1, buffers.inUse(), "the refused upload gave back nothing it did not take");
            // smaller than a part, with a Content-Length (as browsers send forms): a buffer of its own
            HttpResponse<String> small = send(token, MediaApiTest.pdfLike(100_000), false);
            assertEquals(201, small.statusCode(), small.body());
        }
        // the holder went away mid-file: its upload fails and its buffer is free again
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> buffers.inUse() == 0);
        HttpResponse<String> stored = chunked(token, large);
        assertEquals(201, stored.statusCode(), stored.body());
    }

    /** An upload whose file part has begun and goes no further: it holds its part buffer. */
    private Socket holdAnUploadOpen(String token) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/media HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
                + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] start = formStart();
        byte[] some = MediaApiTest.pdfLike(64 * 1024);
        byte[] chunk = new byte[start.length + some.length];
        System.arraycopy(start, 0, chunk, 0, start.length);
        System.arraycopy(some, 0, chunk, start.length, some.length);
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** The upload as a stream of unknown length (chunked): the service cannot tell it is large before reading it. */
    private HttpResponse<String> chunked(String token, byte[] file) throws Exception {
        return send(token, file, true);
    }

    private HttpResponse<String> send(String token, byte[] file, boolean chunked) throws Exception {
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.write(formStart());
        form.write(file);
        form.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] body = form.toByteArray();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "api/media")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] formStart() {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nfile\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
