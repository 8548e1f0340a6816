package dev.kefurelay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * With {@code -Dbench.jfr=<folder>} (in bench.peerArgs), each phase of a peer is recorded on its own with JFR's
 * {@code profile} settings, execution samples every {@code bench.jfr.period} (default 2 ms), to
 * {@code <folder>/<system>-<phase>.jfr}: the settled phase's profile without the cold phases' compiling in it.
 * Without the property nothing is recorded.
 */
final class PhaseRecording implements AutoCloseable {

    private final Recording recording;
    private final Path file;

    private PhaseRecording(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    static PhaseRecording start(String phase) throws IOException, ParseException {
        String folder = System.getProperty("bench.jfr");
        if (folder == null || folder.isBlank()) {
            return new PhaseRecording(null, null);
        }
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        Duration period = Duration.ofMillis(Long.getLong("bench.jfr.period", 2));
        r.enable("jdk.ExecutionSample").withPeriod(period);
        r.enable("jdk.NativeMethodSample").withPeriod(period);
        Path file = Files.createDirectories(Path.of(folder))
                .resolve(System.getProperty("bench.system", "peer") + "-" + phase + ".jfr");
        r.start();
        return new PhaseRecording(r, file);
    }

    @Override
    public void close() throws IOException {
        if (recording != null) {
            recording.stop();
            recording.dump(file);
            recording.close();
        }
    }
}
