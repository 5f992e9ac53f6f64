package io.talkline.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AOT cache a service starts with (ADR 0024): only one recorded with the same JVM flags. */
class AotCacheTest {

    private static final List<String> C1 = List.of("-XX:+UseSerialGC", "-Xmx384m", "-XX:TieredStopAtLevel=1");
    private static final List<String> C2 = List.of("-XX:+UseSerialGC", "-Xmx384m");

    @Test
    void aCacheRecordedWithOtherFlagsIsNotUsedButRecordedAgainForTheseFlags(@TempDir Path dir) throws Exception {
        Platform platform = new Platform(new RunDir(dir.resolve("run")), 40_000);
        Platform.Instance first = instance(platform, "chat-service-1");
        Platform.Instance twin = instance(platform, "chat-service-2");
        Path jar = Files.createFile(dir.resolve("quarkus-run.jar"));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));

        // no cache for these flags yet: the module's first instance records one
        Path c1Cache = dir.resolve(Platform.aotCacheName(C1, null));
        assertEquals(List.of("-XX:AOTCacheOutput=" + c1Cache), platform.aotOptions(first, jar, C1));
        assertEquals(List.of(), platform.aotOptions(twin, jar, C1), "one recorder per module");
        Files.writeString(c1Cache, "recorded");
        assertEquals(List.of("-XX:AOTCache=" + c1Cache), platform.aotOptions(twin, jar, C1));

        // other flags: the C1 cache is left alone, and a cache of their own is recorded
        Path c2Cache = dir.resolve(Platform.aotCacheName(C2, null));
        assertNotEquals(c1Cache, c2Cache);
        assertEquals(List.of("-XX:AOTCacheOutput=" + c2Cache), platform.aotOptions(first, jar, C2));
        Files.writeString(c2Cache, "recorded");
        assertEquals(List.of("-XX:AOTCache=" + c2Cache), platform.aotOptions(first, jar, C2));
        assertEquals(List.of("-XX:AOTCache=" + c1Cache), platform.aotOptions(first, jar, C1));

        // an instance's own JVM options count as flags too
        assertNotEquals(Platform.aotCacheName(C2, null), Platform.aotCacheName(C2, "-Xmx256m"));
        // a cache older than the jar is stale: recorded again
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals(List.of("-XX:AOTCacheOutput=" + c2Cache), platform.aotOptions(first, jar, C2));
        assertTrue(platform.recordsAotCache());
    }

    private static Platform.Instance instance(Platform platform, String name) {
        return platform.instances().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }
}
