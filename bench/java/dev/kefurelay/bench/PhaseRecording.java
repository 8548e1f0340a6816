package dev.kefurelay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.management.ObjectName;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.management.jfr.FlightRecorderMXBean;

/**
 * With {@code -Dbench.jfr=<folder>}, each phase is recorded on its own with JFR's {@code profile} settings, execution
 * samples every {@code bench.jfr.period} (default 2 ms), to {@code <folder>/<system>-<phase>.jfr}: the settled
 * phase's profile without the cold phases' compiling in it. A peer records itself ({@link #start}); the relay and
 * the broker-only peer are recorded from the benchmark's JVM over their JMX connection ({@link #of}). Without the
 * property nothing is recorded.
 */
final class PhaseRecording implements AutoCloseable {

    /** Stops a recording and writes its file. */
    private interface Stop {
        void stop() throws IOException;
    }

    private final Stop stop;

    private PhaseRecording(Stop stop) {
        this.stop = stop;
    }

    /** This JVM's phase (a peer's), named by its bench.system. */
    static PhaseRecording start(String phase) throws IOException, ParseException {
        Path file = file(System.getProperty("bench.system", "peer") + "-" + phase);
        if (file == null) {
            return new PhaseRecording(() -> { });
        }
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.enable("jdk.ExecutionSample").withPeriod(period());
        r.enable("jdk.NativeMethodSample").withPeriod(period());
        r.start();
        return new PhaseRecording(() -> {
            r.stop();
            r.dump(file);
            r.close();
        });
    }

    /** A child JVM's phase (e.g. "relay 5": relay-5.jfr), recorded through its FlightRecorderMXBean. */
    static PhaseRecording of(ChildJvm child, String phase) throws Exception {
        Path file = file(phase.replace(' ', '-'));
        if (file == null) {
            return new PhaseRecording(() -> { });
        }
        FlightRecorderMXBean jfr = javax.management.JMX.newMXBeanProxy(child.connection(),
                new ObjectName(FlightRecorderMXBean.MXBEAN_NAME), FlightRecorderMXBean.class);
        long id = jfr.newRecording();
        Map<String, String> settings = new HashMap<>(jfr.getConfigurations().stream()
                .filter(c -> c.getName().equals("profile")).findFirst().orElseThrow().getSettings());
        String period = period().toMillis() + " ms";
        settings.put("jdk.ExecutionSample#period", period);
        settings.put("jdk.NativeMethodSample#period", period);
        jfr.setRecordingSettings(id, settings);
        jfr.startRecording(id);
        return new PhaseRecording(() -> {
            jfr.stopRecording(id);
            // written by the child itself, on the same machine
            jfr.copyTo(id, file.toString());
            jfr.closeRecording(id);
        });
    }

    /** Where a recording of this name goes, or null when bench.jfr is not set. */
    private static Path file(String name) throws IOException {
        String folder = System.getProperty("bench.jfr");
        if (folder == null || folder.isBlank()) {
            return null;
        }
        return Files.createDirectories(Path.of(folder)).toAbsolutePath().resolve(name + ".jfr");
    }

    private static Duration period() {
        return Duration.ofMillis(Long.getLong("bench.jfr.period", 2));
    }

    @Override
    public void close() throws IOException {
        stop.stop();
    }
}
