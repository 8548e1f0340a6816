package dev.kefurelay.component;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** The component's log lines ({@code dev.kefurelay.*}, INFO and up) written while open, as "LEVEL logger message". */
final class LogLines extends AbstractAppender implements AutoCloseable {

    private static final String LOGGERS = "dev.kefurelay";
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogLines() {
        super("log-lines-" + System.nanoTime(), null, PatternLayout.newBuilder().withPattern("%p %c{1} %m").build(),
                true, Property.EMPTY_ARRAY);
    }

    static LogLines open() {
        LogLines capture = new LogLines();
        capture.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.addAppender(capture);
        LoggerConfig logger = LoggerConfig.newBuilder().withLoggerName(LOGGERS).withLevel(Level.INFO)
                .withAdditivity(false).withConfig(config).build();
        logger.addAppender(capture, null, null);
        config.addLogger(LOGGERS, logger);
        ctx.updateLoggers();
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        lines.add(new String(getLayout().toByteArray(event), StandardCharsets.UTF_8));
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    List<String> containing(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().removeLogger(LOGGERS);
        ctx.updateLoggers();
        stop();
    }
}
