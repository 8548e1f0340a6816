package dev.kefurelay;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * The log lines (each with its stack trace) written while open, one entry per event as {@code logger message},
 * for tests that check what reaches the log: that a secret never does, that an outcome is logged once.
 */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    /** The same lines with their levels, for {@link #lines(Level)}. */
    private final List<Map.Entry<Level, String>> leveled = new CopyOnWriteArrayList<>();
    private final LoggerContext context = LoggerContext.getContext(false);
    /** The levels {@link #everyLevel()} changed, to put back on close. */
    private final Map<LoggerConfig, Level> levels = new LinkedHashMap<>();

    private LogCapture() {
        super("capture-" + System.nanoTime(), null, PatternLayout.newBuilder().withPattern("%c %m %throwable%n").build(),
                true, Property.EMPTY_ARRAY);
    }

    /** Captures what the log configuration lets through, as the application's own appenders would see it. */
    public static LogCapture open() {
        LogCapture capture = new LogCapture();
        capture.start();
        Configuration config = capture.context.getConfiguration();
        // every logger of the project's configurations is additive, so the root sees all their events
        config.getRootLogger().addAppender(capture, null, null);
        capture.context.updateLoggers();
        return capture;
    }

    /**
     * Captures every level of every logger, whatever the configuration says (a secret must not reach even a
     * DEBUG line); the configured levels come back on close.
     */
    public static LogCapture everyLevel() {
        LogCapture capture = new LogCapture();
        capture.start();
        Configuration config = capture.context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        root.addAppender(capture, Level.ALL, null);
        capture.lower(root);
        config.getLoggers().values().forEach(logger -> {
            if (logger != root) {
                capture.lower(logger);
                // an additive logger passes its events up to the root; one that is not must be heard itself
                if (!logger.isAdditive()) {
                    logger.addAppender(capture, Level.ALL, null);
                }
            }
        });
        capture.context.updateLoggers();
        return capture;
    }

    private void lower(LoggerConfig logger) {
        // the explicit level: null (inherit from the parent) is put back as null
        levels.put(logger, logger.getExplicitLevel());
        logger.setLevel(Level.ALL);
    }

    @Override
    public void append(LogEvent event) {
        String line = new String(getLayout().toByteArray(event), StandardCharsets.UTF_8);
        lines.add(line);
        leveled.add(Map.entry(event.getLevel(), line));
    }

    /** Fails naming what kind of value leaked (never the value) when any of these is in the log; nulls skipped. */
    public void assertNoneOf(Collection<String> secrets, String what) {
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
        Configuration config = context.getConfiguration();
        config.getLoggers().values().forEach(logger -> logger.removeAppender(getName()));
        config.getRootLogger().removeAppender(getName());
        levels.forEach(LoggerConfig::setLevel);
        context.updateLoggers();
        stop();
    }
}
