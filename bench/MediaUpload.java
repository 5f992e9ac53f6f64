import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Uploads the same bytes two ways, side by side, and reports throughput and each process's CPU
 * time per MB: a direct S3 PUT (a presigned URL from media-service: straight to the S3 server) and
 * the streamed upload through the gateway and media-service. Also media-service's resident memory
 * (the most seen while uploading). JDK only: java bench/MediaUpload.java GATEWAY RUN_DIR SIZES_MB ROUNDS
 */
public class MediaUpload {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final long TICKS_PER_SECOND = 100; // Linux USER_HZ

    public static void main(String[] args) throws Exception {
        String gateway = args[0];
        Path pids = Path.of(args[1], "pids");
        List<Long> sizes = new ArrayList<>();
        for (String mb : args[2].split(",")) {
            sizes.add(Long.parseLong(mb.trim()) << 20);
        }
        int rounds = Integer.parseInt(args[3]);
        Map<String, Long> processes = new LinkedHashMap<>();
        processes.put("gateway", pid(pids, "gateway"));
        processes.put("media-service", pid(pids, "media-service"));
        processes.put("s3proxy", pid(pids, "s3proxy"));
        String token = user(gateway);

        System.out.printf("%-8s %-22s %8s %9s %9s   %s%n", "size", "path", "seconds", "MB/s", "media RSS",
                "CPU ms per MB: gateway / media-service / S3 server");
        for (long size : sizes) {
            for (int round = 1; round <= rounds; round++) {
                run("direct S3 PUT", size, processes, () -> direct(gateway, token, size));
                run("gateway + media", size, processes, () -> streamed(gateway, token, size));
            }
        }
    }

    interface Upload {
        void run() throws Exception;
    }

    static void run(String path, long size, Map<String, Long> processes, Upload upload) throws Exception {
        Map<String, Long> before = new LinkedHashMap<>();
        processes.forEach((name, pid) -> before.put(name, cpuTicks(pid)));
        AtomicLong maxRss = new AtomicLong(rssKb(processes.get("media-service")));
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxRss.accumulateAndGet(rssKb(processes.get("media-service")), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        upload.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        double mb = size / (double) (1 << 20);
        StringBuilder cpu = new StringBuilder();
        processes.forEach((name, pid) -> cpu.append(cpu.isEmpty() ? "" : " / ").append(String.format("%.1f",
                (cpuTicks(pid) - before.get(name)) * 1000.0 / TICKS_PER_SECOND / mb)));
        System.out.printf("%-8s %-22s %8.2f %9.1f %7d MB   %s%n", (size >> 20) + " MB", path, seconds, mb / seconds,
                maxRss.get() / 1024, cpu);
    }

    /** A presigned PUT from media-service, then the bytes straight to the S3 server; the pending item is deleted after. */
    static void direct(String gateway, String token, long size) throws Exception {
        String started = send(HttpRequest.newBuilder(URI.create(gateway + "/api/media/uploads"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"fileName\":\"bench.pdf\",\"size\":" + size + ",\"kind\":\"file\"}")),
                201);
        String url = field(started, "uploadUrl").replace("\\u0026", "&");
        send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
                .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new Noise(size)),
                        size)), 200);
        delete(gateway, token, field(started, "id"));
    }

    /** POST /api/media through the gateway, multipart, streamed; deleted after. */
    static void streamed(String gateway, String token, long size) throws Exception {
        String boundary = "bench-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nfile\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes();
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes();
        String stored = send(HttpRequest.newBuilder(URI.create(gateway + "/api/media")).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new SequenceInputStream(Collections.enumeration(List.of(new java.io.ByteArrayInputStream(head),
                                new Noise(size), new java.io.ByteArrayInputStream(tail))))),
                        head.length + size + tail.length)), 201);
        delete(gateway, token, field(stored, "id"));
    }

    static void delete(String gateway, String token, String id) throws Exception {
        send(HttpRequest.newBuilder(URI.create(gateway + "/api/media/" + id)).header("Authorization", "Bearer " + token)
                .DELETE(), 204);
    }

    static String user(String gateway) throws Exception {
        String name = "bench" + Long.toHexString(System.nanoTime());
        String credentials = "{\"username\":\"" + name + "\",\"password\":\"media benchmark password\"";
        send(HttpRequest.newBuilder(URI.create(gateway + "/api/auth/register")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(credentials + ",\"email\":\"" + name + "@example.org\"}")), 201);
        return field(send(HttpRequest.newBuilder(URI.create(gateway + "/api/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(credentials + "}")),
                200), "accessToken");
    }

    static String send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri().getPath() + " → "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static long pid(Path pids, String name) throws IOException {
        return Long.parseLong(Files.readString(pids.resolve(name + ".pid")).trim());
    }

    /** utime + stime of the process, in clock ticks (/proc/PID/stat fields 14 and 15). */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new IllegalStateException("process " + pid + " is gone", e);
        }
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /** A PDF header, then bytes that do not compress, made as they are read. */
    static final class Noise extends InputStream {
        private final long size;
        private final Random random = new Random(42);
        private long position;

        Noise(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            byte[] head = "%PDF-1.7\n".getBytes();
            for (int i = 0; i < n && position + i < head.length; i++) {
                chunk[i] = head[(int) (position + i)];
            }
            System.arraycopy(chunk, 0, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
