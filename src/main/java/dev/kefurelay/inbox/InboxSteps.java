package dev.kefurelay.inbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.send.Reason;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of the inbox route: read a file into messages, then file it under .done/ or .error/. */
public final class InboxSteps {

    /** Header read by the file endpoint's {@code move} expression: where the file goes when done. */
    public static final String FOLDER = "KefuInboxFolder";
    public static final String DONE = ".done";
    public static final String ERROR = ".error";

    private static final Logger LOG = LoggerFactory.getLogger(InboxSteps.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path inbox;
    private final long maxSize;

    public InboxSteps(Path inbox, long maxSize) {
        this.inbox = inbox;
        this.maxSize = maxSize;
    }

    /**
     * Body becomes the message texts: for a {@code .jsonl} an iterator that reads the lines as they are sent, for a
     * {@code .json} the list of its messages. A file that cannot be read throws {@link UnreadableFileException}.
     */
    public void open(Exchange exchange) throws IOException {
        String name = name(exchange);
        long size = exchange.getMessage().getHeader(Exchange.FILE_LENGTH, 0L, Long.class);
        exchange.getMessage().setHeader(FOLDER, ERROR);
        InboxFile.checkName(name, size, maxSize);
        Object messages = name.endsWith(".jsonl")
                ? InboxFile.lines(name, Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class)))
                : InboxFile.messages(name, exchange.getMessage().getBody(String.class));
        exchange.setProperty(FailedMessages.PROPERTY, new FailedMessages());
        exchange.getMessage().setBody(messages);
        LOG.info("inbox file {}: sending its messages", name);
    }

    /** All messages have an outcome: the file goes to .done/, its failed messages to .error/NAME.failed.jsonl. */
    public void finish(Exchange exchange) throws IOException {
        String name = name(exchange);
        FailedMessages failed = exchange.getProperty(FailedMessages.PROPERTY, FailedMessages.class);
        if (!failed.lines().isEmpty()) {
            Path file = errorFolder().resolve(name + ".failed.jsonl");
            // appended, so a file name dropped twice keeps the failures of both
            Files.write(file, (String.join("\n", failed.lines()) + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            LOG.warn("inbox file {}: {} of {} message(s) failed, written to {}", name, failed.lines().size(),
                    failed.total(), file);
        } else {
            LOG.info("inbox file {}: {} message(s), none failed", name, failed.total());
        }
        exchange.getMessage().setHeader(FOLDER, DONE);
    }

    /** The whole file is refused: it stays under .error/ with NAME.error.json saying why. */
    public void refuse(Exchange exchange) throws IOException {
        String name = name(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String why = e instanceof UnreadableFileException ? e.getMessage()
                : "could not be processed: " + e.getClass().getSimpleName();
        var report = JSON.createObjectNode()
                .put("file", name)
                .put("reason", Reason.INVALID_INPUT.wireName())
                .put("errmsg", why);
        Files.writeString(errorFolder().resolve(name + ".error.json"), report.toPrettyString() + "\n",
                StandardCharsets.UTF_8);
        exchange.getMessage().setHeader(FOLDER, ERROR);
        LOG.warn("inbox file {} refused: {}", name, why);
    }

    private Path errorFolder() throws IOException {
        return Files.createDirectories(inbox.resolve(ERROR));
    }

    private static String name(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
    }
}
