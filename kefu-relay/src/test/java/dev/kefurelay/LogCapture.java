package dev.kefurelay;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Every log line (with its stack trace) written while open, at every level the configuration lets through. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    /** The same lines with their levels, for {@link #lines(Level)}. */
    private final List<Map.Entry<Level, String>> leveled = new CopyOnWriteArrayList<>();

    private LogCapture() {
        super("capture-" + System.nanoTime(), null, PatternLayout.newBuilder().withPattern("%c %m %throwable%n").build(),
                true, Property.EMPTY_ARRAY);
    }

    public static LogCapture open() {
        LogCapture capture = new LogCapture();
        capture.start0();
        return capture;
    }

    private void start0() {
        start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.addAppender(this);
        // every logger of our configuration is additive, so the root sees all their events
        config.getRootLogger().addAppender(this, null, null);
        ctx.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        String line = new String(getLayout().toByteArray(event), java.nio.charset.StandardCharsets.UTF_8);
        lines.add(line);
        leveled.add(Map.entry(event.getLevel(), line));
    }

    /** Fails naming what kind of value leaked (never the value) when any of these is in the log; nulls skipped. */
    public void assertNoneOf(java.util.Collection<String> secrets, String what) {
        String all = text();
        for (String secret : secrets) {
            if (secret != null && all.contains(secret)) {
                throw new AssertionError(what + " reached the log");
            }
        }
    }

    public String text() {
        return String.join("", lines);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines logged at this level or a more severe one (ERROR for WARN, …). */
    public List<String> lines(Level atLeast) {
        return leveled.stream().filter(e -> e.getKey().isMoreSpecificThan(atLeast)).map(Map.Entry::getValue).toList();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.getRootLogger().removeAppender(getName());
        ctx.updateLoggers();
        stop();
    }
}
