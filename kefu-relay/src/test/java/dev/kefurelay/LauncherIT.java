package dev.kefurelay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.kefurelay.config.Key;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.RelayProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/kefu-relay.sh with the package copied elsewhere: the build's AppCDS archive does not fit there (Java 17
 * checks the jars' paths), nor one another JDK build made, so the first run writes one as it stops, and the next
 * start uses it; the JVM options of jvm.options beside it apply, and JAVA_OPTS overrides them.
 */
class LauncherIT {

    /** The launcher runs the JDK these tests run on (the archive's JDK line names it). */
    private static final Map<String, String> THIS_JDK = Map.of("JAVA_HOME", System.getProperty("java.home"));
    /** -Xshare:on: the JVM refuses to start unless it can map the archive. */
    private static final Map<String, String> ARCHIVE_ONLY =
            Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", "-Xshare:on");

    @TempDir
    Path dir;

    /** What kefu-relay.jsa.dir says an archive in {@code app} fits: that folder, this JDK's folder and build. */
    static String madeFor(Path app) throws IOException {
        Path home = Path.of(System.getProperty("java.home")).toRealPath();
        String key = "JAVA_RUNTIME_VERSION=";
        String build = Files.readAllLines(home.resolve("release")).stream().filter(l -> l.startsWith(key))
                .findFirst().orElseThrow().substring(key.length());
        return app + "\n" + home + " " + build + "\n";
    }

    /** The package with its launcher and its jvm.options in {@code app}; the command that runs it with the sandbox. */
    static List<String> installLauncher(Path app) throws IOException {
        RelayProcess.copyPackage(app);
        Path target = RelayProcess.JAR.getParent();
        Files.copy(target.resolve("kefu-relay.sh"), app.resolve("kefu-relay.sh"));
        Files.copy(target.resolve("jvm.options"), app.resolve("jvm.options"));
        return List.of("sh", app.resolve("kefu-relay.sh").toString(), "-Xmx512m",
                "-Dkefu.sandbox=true", "-Dkefu.sandbox.port=0", "-Dkefu.http.port=0", "-Dkefu.broker.port=0");
    }

    /** Starts the command, waits until the relay is ready, stops it with SIGTERM (exit 143); returns its console. */
    private static String startAndStop(List<String> command, Path work, Map<String, String> environment) {
        try (RelayProcess relay = RelayProcess.start(command, work, environment)) {
            String http = relay.awaitStarted();
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(http + "/observe/health/ready").status() == 200);
            assertEquals(143, relay.terminate(Duration.ofSeconds(90)), relay.output());
            return relay.output();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void theFirstRunElsewhereWritesAnArchiveThatTheNextStartUses() throws Exception {
        Path app = dir.resolve("app");
        List<String> command = installLauncher(app);
        Path jar = app.resolve("kefu-relay.jar");
        Path target = RelayProcess.JAR.getParent();
        if (Files.exists(target.resolve("kefu-relay.jsa"))) {
            // the build's archive (only with -Pcds or -Pbench), made for target/: it does not fit here
            Files.copy(target.resolve("kefu-relay.jsa"), app.resolve("kefu-relay.jsa"));
            Files.copy(target.resolve("kefu-relay.jsa.dir"), app.resolve("kefu-relay.jsa.dir"));
            assertTrue(Files.readString(app.resolve("kefu-relay.jsa.dir")).startsWith(target + "\n"));
        }
        Path archive = app.resolve("kefu-relay.jsa");

        startAndStop(command, dir.resolve("work"), THIS_JDK);
        assertTrue(Files.exists(archive), "written as the first run stopped");
        assertEquals(madeFor(app), Files.readString(app.resolve("kefu-relay.jsa.dir")));
        assertTrue(Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0);

        // -Xshare:on: the JVM refuses to start unless it can map this archive
        try (RelayProcess second = RelayProcess.start(command, dir.resolve("work"), ARCHIVE_ONLY)) {
            String http = second.awaitStarted();
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(http + "/observe/health/ready").status() == 200);
            assertTrue(second.vmFlags().contains("-XX:TieredStopAtLevel=1"), "jvm.options: C1 only");
            assertEquals(143, second.terminate(Duration.ofSeconds(60)), second.output());
        }
    }

    @Test
    void anArchiveMadeByAnotherJdkIsReplaced() throws Exception {
        Path app = dir.resolve("app");
        List<String> command = installLauncher(app);
        // left from before a JDK update: made for this folder, newer than the jar, but by another build, which this
        // JVM would refuse at every start (not an archive at all here: -Xshare:on below fails if it is kept)
        Path archive = app.resolve("kefu-relay.jsa");
        Files.write(archive, new byte[] {1, 2, 3});
        Files.writeString(app.resolve("kefu-relay.jsa.dir"), app + "\n/usr/lib/jvm/another-jdk \"17.0.1+12\"\n");

        startAndStop(command, dir.resolve("work"), THIS_JDK);
        assertEquals(madeFor(app), Files.readString(app.resolve("kefu-relay.jsa.dir")));

        startAndStop(command, dir.resolve("work"), ARCHIVE_ONLY);
    }

    @Test
    void aUserWhoCannotWriteBesideTheJarKeepsTheArchiveInTheWorkingFolder() throws Exception {
        Path app = dir.resolve("app");
        Path work = dir.resolve("work");
        List<String> asNobody = asNobody(installLauncher(app), work);

        String console = startAndStop(asNobody, work, THIS_JDK);
        assertFalse(console.contains("ermission denied"), console);
        assertFalse(Files.exists(app.resolve("kefu-relay.jsa")));
        assertEquals(madeFor(app), Files.readString(work.resolve("kefu-relay.jsa.dir")));

        startAndStop(asNobody, work, ARCHIVE_ONLY);
    }

    @Test
    void withNowhereToWriteAnArchiveTheLauncherSaysSoAndStartsWithout() throws Exception {
        Path app = dir.resolve("app");
        Path work = Files.createDirectories(dir.resolve("work"));
        // what the relay writes elsewhere (it refuses to start without a writable inbox, store and broker folder)
        Path data = dir.resolve("data");
        List<String> launcher = new ArrayList<>(installLauncher(app));
        launcher.addAll(List.of("-D" + Key.INBOX_DIR.key() + "=" + data.resolve("inbox"),
                "-D" + Key.STORE_DIR.key() + "=" + data.resolve("store"),
                "-D" + Key.BROKER_DATA_DIR.key() + "=" + data.resolve("broker")));
        List<String> asNobody = asNobody(launcher, data);

        String console = startAndStop(asNobody, work, THIS_JDK);
        assertTrue(Pattern.compile("kefu-relay.sh: no class-data archive \\(neither .* nor the working folder .* is "
                + "writable\\)").matcher(console).find(), console);
        // no archive asked for: none to write as it stopped, so no failure writing one
        assertFalse(console.contains("ermission denied"), console);
        assertFalse(Files.exists(app.resolve("kefu-relay.jsa")));
        assertFalse(Files.exists(work.resolve("kefu-relay.jsa")));
    }

    /**
     * An install owned by root, run by a service user: everything under the test's folder readable by all and
     * writable by root only but {@code writable}, made and given to the user nobody; the launcher's command run as
     * nobody, through su.
     */
    private List<String> asNobody(List<String> launcher, Path writable) throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/bin/su")),
                "needs root and su to run the launcher as another user");
        Files.setOwner(Files.createDirectories(writable),
                dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                // the temporary folder is the test's own, 0700
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) || p.toString().endsWith(".sh") ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        // su takes options after the user too (-Xmx512m would be one): the launcher's command as one -c string
        String quoted = launcher.stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "));
        return List.of("/bin/su", "nobody", "-s", "/bin/sh", "-c", "exec " + quoted);
    }

    @Test
    void javaOptsOverrideTheLaunchersJvmOptions() throws Exception {
        List<String> command = installLauncher(dir.resolve("app"));
        try (RelayProcess relay = RelayProcess.start(command, dir.resolve("work"),
                Map.of("JAVA_OPTS", "-XX:TieredStopAtLevel=4"))) {
            relay.awaitStarted();
            String flags = relay.vmFlags();
            assertTrue(flags.contains("-XX:TieredStopAtLevel=4"), flags);
            assertFalse(flags.contains("-XX:TieredStopAtLevel=1"), flags);
            assertEquals(143, relay.terminate(Duration.ofSeconds(90)), relay.output());
        }
    }
}
