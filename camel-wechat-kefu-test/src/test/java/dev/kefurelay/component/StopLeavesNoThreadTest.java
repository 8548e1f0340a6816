package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * A Camel application's stop ends every thread the component started, at once: none is left for the JVM's exit to
 * wait on (exec:java waited 15 s for one). In a JVM of its own, so that no other test's threads count.
 */
class StopLeavesNoThreadTest {

    @Test
    void aStoppedCamelContextLeavesNoThreadOfTheComponentAndStopsInWellUnderASecond() throws Exception {
        String out = run();
        Matcher outcomes = Pattern.compile("OUTCOMES=(.*)").matcher(out);
        assertTrue(outcomes.find(), out);
        // the copy that waited for the other was answered as its duplicate
        assertTrue(outcomes.group(1).contains("\"duplicate\":true") && outcomes.group(1).endsWith("delivered=3"),
                "every path ran: " + out);
        Matcher stop = Pattern.compile("STOP_MS=(\\d+)").matcher(out);
        assertTrue(stop.find(), out);
        assertTrue(Long.parseLong(stop.group(1)) < 1000, "the stop took " + stop.group(1) + " ms");
        Matcher left = Pattern.compile("LEFT=(.*)").matcher(out);
        assertTrue(left.find(), out);
        assertEquals("", left.group(1).strip(), "threads alive after the stop");
    }

    private static String run() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), StoppingApp.class.getName()))
                .redirectErrorStream(true).start();
        byte[] bytes;
        try (var in = p.getInputStream()) {
            bytes = in.readAllBytes();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the application did not end");
        String out = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
