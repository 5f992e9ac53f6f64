package io.talkline.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * The launcher's decisions — what {@code ./platform} installs, starts and builds, given what the
 * machine has — on a machine made of stubs: the real script, a PATH of recording stand-ins for apt,
 * MariaDB, Redis and the rest, and a repository with or without build output. Needs no root.
 */
class LauncherTest {

    private static final List<String> MODULES = List.of("gateway", "auth-service", "chat-service",
            "signaling-service", "media-service", "audit-service");
    /** What each apt package puts on the machine, as the launcher looks for it. */
    private static final Map<String, List<String>> PACKAGES = Map.of("maven", List.of("bin/mvn"),
            "mariadb-server", List.of("sbin/mariadbd", "bin/mariadb", "bin/mariadb-admin"),
            "redis-server", List.of("bin/redis-server", "bin/redis-cli"), "coturn", List.of("bin/turnserver"),
            "chromium", List.of("bin/chromium"), "chromium-driver", List.of("bin/chromedriver"));

    @TempDir
    Path dir;
    private Path repo;
    private Path machine;

    @BeforeEach
    void aRepositoryAndAnEmptyMachine() throws IOException {
        repo = dir.resolve("repo");
        machine = dir.resolve("machine");
        Files.createDirectories(repo);
        Files.copy(Repo.root().resolve("platform"), repo.resolve("platform"));
        executable(repo.resolve("platform"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.createDirectories(machine.resolve("bin"));
        Files.createDirectories(machine.resolve("sbin"));
        for (String tool : List.of("bash", "dirname", "find", "ls", "grep", "sed", "paste", "cat", "touch", "seq",
                "sleep", "tail", "tee", "rm", "cp", "tr", "head", "mv", "basename")) {
            Path real = Files.exists(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
            Files.createSymbolicLink(machine.resolve("bin").resolve(tool), real);
        }
        user(0);
        // the commands a setup runs: each records its call; the ones that change the machine do so
        stub("bin/apt-get", """
                if [ "$1" = install ]; then for p in "$@"; do [ -d "$M/pkg/$p" ] && cp -r "$M/pkg/$p/." "$M/"; done; fi""");
        stub("bin/start-stop-daemon", "touch \"$M/mariadb.running\"");
        stub("bin/install", "");
        stub("bin/mkdir", "");
        for (var entry : PACKAGES.entrySet()) {
            for (String file : entry.getValue()) {
                Path path = machine.resolve("pkg").resolve(entry.getKey()).resolve(file);
                Files.createDirectories(path.getParent());
                Files.writeString(path, script(path.getFileName().toString(), switch (path.getFileName().toString()) {
                    case "mariadb" ->
                        """
                                case "$*" in *"ALTER USER"*) echo "mariadb $*" >> "$M/calls"; touch "$M/mariadb.login"; exit 0;; esac
                                [ -f "$M/mariadb.login" ]""";
                    case "mariadb-admin" -> "[ -f \"$M/mariadb.running\" ]";
                    case "redis-cli" -> "[ -f \"$M/redis.running\" ]";
                    case "redis-server" -> "touch \"$M/redis.running\"";
                    default -> "";
                }));
                executable(path);
            }
        }
    }

    @Test
    void onAFreshMachineUpWouldInstallStartAllowAndBuildEverything() throws Exception {
        assertEquals(List.of("install: maven mariadb-server redis-server coturn", "start: mariadb",
                "allow: mariadb root login over TCP without password (loopback only)", "start: redis",
                "build: nothing built yet"), run("plan", "up").lines());
        // the tests also need the browser and its driver; building is the test command's own business
        assertEquals(List.of("install: maven mariadb-server redis-server coturn chromium chromium-driver",
                "start: mariadb", "allow: mariadb root login over TCP without password (loopback only)",
                "start: redis"), run("plan", "test").lines());
    }

    @Test
    void asRootSetupInstallsStartsAndAllowsAnnouncingEachStepAndThenNothingIsLeftToDo() throws Exception {
        Result setup = run("setup", "up");
        assertEquals(0, setup.exit(), setup.output());
        assertEquals(List.of("platform: installing maven mariadb-server redis-server coturn (apt)",
                "platform: starting MariaDB",
                "platform: letting MariaDB's root log in over TCP without a password (loopback only)",
                "platform: starting Redis (127.0.0.1:6379, nothing persisted)",
                "platform: this machine is ready for ./platform up"), setup.lines());
        String calls = Files.readString(machine.resolve("calls"));
        assertTrue(calls.contains("apt-get install -y -qq maven mariadb-server redis-server coturn"), calls);
        assertTrue(calls.contains("start-stop-daemon --start --oknodo --background --exec " + machine.resolve("sbin")
                + "/mariadbd -- --user=mysql"), calls);
        assertTrue(calls.contains("mariadb -uroot -e ALTER USER root@localhost IDENTIFIED VIA mysql_native_password"),
                calls);
        assertTrue(calls.contains("redis-server --daemonize yes --bind 127.0.0.1"), calls);

        assertEquals(List.of("build: nothing built yet"), run("plan", "up").lines());
    }

    @Test
    void aRunningMariaDbThatRefusesTheLoginIsOnlyAllowedNotStarted() throws Exception {
        installed("maven", "mariadb-server", "redis-server", "coturn");
        Files.createFile(machine.resolve("mariadb.running"));
        Files.createFile(machine.resolve("redis.running"));
        assertEquals(List.of("allow: mariadb root login over TCP without password (loopback only)",
                "build: nothing built yet"), run("plan", "up").lines());
    }

    @Test
    void forUpAMariaDbAndRedisThatAlreadyAnswerWillDoButTheTestsRestartTheirsSoTheyNeedThemInstalled()
            throws Exception {
        installed("maven", "coturn");
        installedFiles("mariadb-server", "bin/mariadb"); // the client alone, talking to a server elsewhere
        installedFiles("redis-server", "bin/redis-cli");
        Files.createFile(machine.resolve("mariadb.login"));
        Files.createFile(machine.resolve("redis.running"));
        assertEquals(List.of("build: nothing built yet"), run("plan", "up").lines());
        assertEquals(List.of("install: mariadb-server redis-server chromium chromium-driver"),
                run("plan", "test").lines());
    }

    @Test
    void asAnotherUserItNamesTheOneCommandToRunAndChangesNothing() throws Exception {
        user(1000);
        installed("maven", "mariadb-server", "redis-server");
        Files.createFile(machine.resolve("mariadb.running"));
        Files.createFile(machine.resolve("mariadb.login"));
        Files.createFile(machine.resolve("redis.running"));

        Result up = run("up");
        assertNotEquals(0, up.exit());
        assertTrue(up.output().contains("not ready (install: coturn)"), up.output());
        assertTrue(up.output().contains("sudo ./platform setup up"), up.output());
        assertFalse(Files.exists(machine.resolve("calls")), "nothing may be run: " + up.output());
    }

    @Test
    void upBuildsWhenAJarIsMissingOrASourceChangedAndOtherwiseNot() throws Exception {
        installed("maven", "mariadb-server", "redis-server", "coturn");
        for (String state : List.of("mariadb.running", "mariadb.login", "redis.running")) {
            Files.createFile(machine.resolve(state));
        }
        Path source = repo.resolve("chat-service/src/main/java/Chat.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class Chat {}");
        Files.createDirectories(repo.resolve("devstack/target/classes"));
        for (String module : MODULES) {
            Path jar = repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, "jar");
        }
        Path stamp = repo.resolve(".run/build.stamp");
        Files.createDirectories(stamp.getParent());
        Files.writeString(stamp, "");
        Instant built = Instant.now();
        for (Path older : List.of(source, repo.resolve("pom.xml"))) {
            Files.setLastModifiedTime(older, FileTime.from(built.minusSeconds(60)));
        }
        Files.setLastModifiedTime(stamp, FileTime.from(built));
        assertEquals(List.of(), run("plan", "up").lines(), "built, nothing changed: nothing to do");

        Path jar = repo.resolve("chat-service/target/quarkus-app/quarkus-run.jar");
        Files.delete(jar);
        assertEquals(List.of("build: chat-service has no jar"), run("plan", "up").lines());
        Files.writeString(jar, "jar");

        Files.setLastModifiedTime(source, FileTime.from(built.plusSeconds(5)));
        assertEquals(List.of("build: chat-service changed since the last build"), run("plan", "up").lines());
    }

    @Test
    void downAndStatusNeedNoJdkAndAnInstanceWritingItsAotCacheIsLeftToFinishOnceItsPortIsClosed() throws Exception {
        assertFalse(Files.exists(machine.resolve("bin/java")));
        HttpServer health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        health.start();
        ServerSocket recorderPort = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Process chat = ours("chat-service-1", "sleep 60; :", health.getAddress().getPort());
        // a JVM that records the AOT cache goes on after its server stopped: it ignores further signals here
        Process recorder = ours("signaling-service-1", "trap '' TERM; sleep 60; :", recorderPort.getLocalPort());
        Process kafka = ours("kafka", "sleep 60; :", 1);
        try {
            Files.createDirectories(repo.resolve(".run/aot-recording"));
            Files.writeString(repo.resolve(".run/aot-recording/signaling-service-1"), "app.aot");

            List<String> status = run("status").lines();
            assertTrue(status.contains(String.format("  %-22s %s", "chat-service-1",
                    "ready  http://127.0.0.1:" + health.getAddress().getPort())), String.join("\n", status));
            assertTrue(status.contains(String.format("  %-22s %s", "signaling-service-1", "starting")),
                    String.join("\n", status));

            long started = System.nanoTime();
            Process down = start("down");
            assertFalse(down.waitFor(1_500, TimeUnit.MILLISECONDS), "down waits while the recorder still serves");
            recorderPort.close();
            Result result = finish(down);
            assertEquals(0, result.exit(), result.output());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), result.output());
            assertTrue(result.lines().containsAll(List.of("platform: stopped chat-service-1", "platform: stopped kafka",
                    "platform: stopped signaling-service-1 (it writes its AOT cache for a few more seconds in the background)")),
                    result.output());
            assertTrue(chat.waitFor(5, TimeUnit.SECONDS) && kafka.waitFor(5, TimeUnit.SECONDS));
            assertTrue(recorder.isAlive(), "the AOT cache is written to its end");
            assertEquals(Long.toString(recorder.pid()),
                    Files.readString(repo.resolve(".run/pids/signaling-service-1.aot.pid")).trim());
            assertFalse(Files.exists(repo.resolve(".run/pids/chat-service-1.pid")));
            assertTrue(run("status").lines().contains(String.format("  %-22s %s", "signaling-service-1",
                    "writing its AOT cache")));
        } finally {
            health.stop(0);
            recorderPort.close();
            for (Process process : List.of(chat, recorder, kafka)) {
                process.destroyForcibly();
            }
        }
    }

    /** A process as devstack would have started it: its pid file, and its port on its command line. */
    private Process ours(String name, String script, int port) throws IOException {
        Process process = new ProcessBuilder("bash", "-c", script, name, "-Dquarkus.http.port=" + port).start();
        Path pidFile = repo.resolve(".run/pids").resolve(name + ".pid");
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, Long.toString(process.pid()));
        return process;
    }

    private record Result(int exit, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    private Result run(String... args) throws Exception {
        return finish(start(args));
    }

    private Result finish(Process process) throws Exception {
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }

    private Process start(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(machine.resolve("bin/bash").toString(),
                repo.resolve("platform").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", machine.resolve("bin").toString(), "TALKLINE_SBIN",
                machine.resolve("sbin").toString(), "M", machine.toString(), "HOME", dir.toString()));
        return builder.start();
    }

    private void installed(String... packages) throws IOException {
        for (String name : packages) {
            installedFiles(name, PACKAGES.get(name).toArray(String[]::new));
        }
    }

    /** Some of a package's files, as if put there by apt. */
    private void installedFiles(String name, String... files) throws IOException {
        for (String file : files) {
            Path path = machine.resolve(file);
            Files.copy(machine.resolve("pkg").resolve(name).resolve(file), path);
            executable(path);
        }
    }

    private void user(int uid) throws IOException {
        stub("bin/id", "echo " + uid);
    }

    private void stub(String file, String body) throws IOException {
        Path path = machine.resolve(file);
        Files.deleteIfExists(path);
        Files.writeString(path, script(path.getFileName().toString(), body));
        executable(path);
    }

    /** A stand-in that records how it was called, unless it only answers a question. */
    private static String script(String name, String body) {
        boolean question = List.of("id", "mariadb", "mariadb-admin", "redis-cli").contains(name);
        String record = question ? "" : "echo \"" + name + " $*\" >> \"$M/calls\"\n";
        return "#!" + "/bin/bash\n" + record + body + "\n";
    }

    private static void executable(Path path) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
