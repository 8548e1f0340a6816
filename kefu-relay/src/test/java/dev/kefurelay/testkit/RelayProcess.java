package dev.kefurelay.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The packaged relay ({@code target/kefu-relay.jar}) run as its own process in a folder of its own, its
 * output going to a file there, as an operator would run it.
 */
public final class RelayProcess implements AutoCloseable {

    /** Built by the relay module; its tests run in the root folder, so the path comes from the build. */
    public static final Path JAR = Path.of(System.getProperty("relay.jar", "kefu-relay/target/kefu-relay.jar"))
            .toAbsolutePath();

    /** The package (the jar and its lib folder) copied to {@code to}, as an operator installs it; the copied jar. */
    public static Path copyPackage(Path to) throws IOException {
        Path lib = JAR.resolveSibling("lib");
        Files.createDirectories(to.resolve("lib"));
        Files.copy(JAR, to.resolve("kefu-relay.jar"));
        try (Stream<Path> jars = Files.list(lib)) {
            for (Path j : jars.toList()) {
                Files.copy(j, to.resolve("lib").resolve(j.getFileName()));
            }
        }
        return to.resolve("kefu-relay.jar");
    }

    private final Process process;
    private final Path log;

    private RelayProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java -D... -jar <jar>} in {@code folder}, without any KEFU_* variable of this JVM. */
    public static RelayProcess start(Path jar, Path folder, Map<String, String> systemProperties) {
        return start(jar, folder, systemProperties, Map.of());
    }

    /** The same with these environment variables (an operator's KEFU_* settings). */
    public static RelayProcess start(Path jar, Path folder, Map<String, String> systemProperties,
            Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        return start(command, folder, environment);
    }

    /** Starts this command (e.g. the launcher script) in {@code folder}, with these variables and no KEFU_* one. */
    public static RelayProcess start(List<String> command, Path folder, Map<String, String> environment) {
        try {
            Files.createDirectories(folder);
            Path log = Files.createTempFile(folder, "relay-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("KEFU_"));
            pb.environment().putAll(environment);
            return new RelayProcess(pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The relay's JVM's flags as {@code jcmd <pid> VM.flags} prints them (the launcher execs java: same pid). */
    public String vmFlags() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), "VM.flags").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException("jcmd VM.flags failed: " + out);
        }
        return out;
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the output has a match of this pattern and returns its first group. */
    public String awaitOutput(String regex, Duration atMost) {
        Pattern p = Pattern.compile(regex);
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive() && !p.matcher(output()).find()) {
                throw new AssertionError("relay exited with " + process.exitValue() + ":\n" + output());
            }
            return p.matcher(output()).find();
        });
        Matcher m = p.matcher(output());
        m.find();
        return m.groupCount() > 0 ? m.group(1) : m.group();
    }

    /** The health and metrics root, e.g. http://127.0.0.1:8080, once the relay has started. */
    public String awaitStarted() {
        return awaitOutput("kefu-relay started: .* health (http://[^/]+)/", Duration.ofSeconds(60));
    }

    public String brokerUrl() {
        return awaitOutput("Embedded Artemis broker started: url=(tcp://\\S+),", Duration.ofSeconds(60));
    }

    /** SIGTERM, as a service manager sends it; returns the exit code. */
    public int terminate(Duration atMost) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("relay still running " + atMost + " after SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    /** kill -9: the process ends at once, with no shutdown of any kind. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("relay still running after kill -9");
        }
    }

    public int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("relay did not exit:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
