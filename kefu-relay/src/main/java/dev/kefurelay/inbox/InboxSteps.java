package dev.kefurelay.inbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.component.KefuHeaders;
import dev.kefurelay.wechat.Reason;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the inbox route: take a file (resuming from its journal), record each message's outcome as it ends,
 * then file it under .done/ or .error/ — or leave it in the inbox, journal and all, when the take had to stop.
 * The route moves nothing itself (the file endpoint runs with {@code noop}): only a file whose every message has a
 * recorded outcome, or that is refused whole with its reason written, leaves the inbox.
 */
public final class InboxSteps {

    public static final String DONE = ".done";
    public static final String ERROR = ".error";
    static final String ERROR_JSON = ".error.json";
    static final String FAILED_JSONL = ".failed.jsonl";
    /** Exchange property: the {@link InboxTake} of the file. */
    static final String TAKE = "KefuInboxTake";
    /** Exchange property of a split part: its message's position in the file. */
    static final String POSITION = "KefuInboxPosition";

    private static final Logger LOG = LoggerFactory.getLogger(InboxSteps.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path inbox;
    private final long maxSize;
    private final InboxGate gate;
    /**
     * Outcomes a take could not write (full disk), by file: written when the file is taken again, so what was
     * delivered is not sent again. In memory: after a restart those few messages are sent again, as after a kill.
     */
    private final Map<String, List<String>> unwritten = new ConcurrentHashMap<>();

    public InboxSteps(Path inbox, long maxSize, InboxGate gate) {
        this.inbox = inbox;
        this.maxSize = maxSize;
        this.gate = gate;
    }

    /**
     * Body becomes the messages still to send, handed out as they are sent (see {@link InboxTake}). A file that
     * cannot be read as messages throws {@link UnreadableFileException}; when its journal cannot be written the file
     * is left where it is, with an empty body.
     */
    public void open(Exchange exchange) throws IOException {
        String name = name(exchange);
        Path file = file(exchange);
        InboxFile.check(inbox, file, name, maxSize);
        Progress progress;
        try {
            progress = Progress.open(inbox, name, file, unwritten);
        } catch (IOException e) {
            gate.close("cannot write the journal of '" + InboxFile.printable(name) + "' (" + e.getMessage() + ")");
            exchange.getMessage().setBody(List.of());
            return;
        }
        try {
            Iterator<Part> messages = name.endsWith(".jsonl") ? InboxFile.lines(name, file)
                    : InboxFile.messages(name, Files.readAllBytes(file)).iterator();
            int before = progress.recordedCount();
            InboxTake take = new InboxTake(messages, progress,
                    () -> exchange.getContext().isStopping() || progress.writeFailure() != null || !gate.isTaking());
            exchange.setProperty(TAKE, take);
            exchange.getMessage().setBody(take);
            if (before == 0) {
                LOG.info("inbox file {}: sending its messages", InboxFile.printable(name));
            } else {
                LOG.info("inbox file {}: going on after the {} message(s) its journal records",
                        InboxFile.printable(name), before);
            }
        } catch (IOException | RuntimeException e) {
            progress.close();
            throw e;
        }
    }

    /** Called with each part once kefu-send has given it an outcome: the outcome goes into the file's journal. */
    public void record(Exchange part) {
        InboxTake take = part.getProperty(TAKE, InboxTake.class);
        int n = part.getProperty(POSITION, Integer.class);
        if (!take.progress().record(n, FailedMessages.failed(part) ? FailedMessages.line(part) : null)) {
            gate.close("cannot write the journal of '" + InboxFile.printable(name(part)) + "' ("
                    + take.progress().writeFailure().getMessage() + ")");
        }
    }

    /**
     * A part that was neither sent nor failed: the store was away when the relay stopped. Nothing is recorded, so the
     * file stays in the inbox and the message is sent when the file is taken again.
     */
    public void unsent(Exchange part) {
        LOG.info("inbox file {}: a message was not sent ({}); it stays for the next take",
                InboxFile.printable(name(part)),
                part.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage());
    }

    /** Unwraps a split part: the body becomes its message, its position a property for {@link #record}. */
    public void part(Exchange part) {
        Part p = part.getMessage().getBody(Part.class);
        part.setProperty(POSITION, p.n());
        // a message's file sources are the files beside it (an exchange property: a JMS sender cannot set it)
        part.setProperty(KefuHeaders.MEDIA_DIR_PROPERTY, inbox.toString());
        part.getMessage().setBody(p.body());
    }

    /**
     * All messages have an outcome: the file goes to .done/, its failed messages to .error/NAME.failed.jsonl. A take
     * that stopped early leaves the file in the inbox: it goes on from its journal when it is taken again.
     */
    public void finish(Exchange exchange) {
        InboxTake take = exchange.getProperty(TAKE, InboxTake.class);
        if (take == null) {
            return; // the journal could not be opened: the gate is closed, the file stays
        }
        String name = name(exchange);
        Progress progress = take.progress();
        try {
            if (!take.complete()) {
                keepUnwritten(progress);
                progress.close();
                LOG.warn("inbox file {}: stopped with {} message(s) recorded ({}); it stays in the inbox and goes on "
                        + "from there", InboxFile.printable(name), progress.recordedCount(),
                        progress.writeFailure() != null ? "outcomes cannot be written"
                                : exchange.getContext().isStopping() || gate.whyNotTaking() == null
                                        ? "the relay is stopping" : gate.whyNotTaking());
                return;
            }
            List<String> failures = progress.failures();
            Path done = Files.createDirectories(inbox.resolve(DONE));
            String target = Filing.freeName(done, name);
            if (!failures.isEmpty()) {
                Path error = Files.createDirectories(inbox.resolve(ERROR));
                Path record = error.resolve(target + FAILED_JSONL);
                Filing.writeWhole(record, String.join("\n", failures) + "\n");
                // beside the failed lines, so that they can be fixed and dropped again together
                InboxMedia.file(inbox, InboxMedia.namedByFailures(failures), error);
                LOG.warn("inbox file {}: {} of {} message(s) failed, written to {}", InboxFile.printable(name),
                        failures.size(), take.seen(), InboxFile.printable(record.toString()));
            } else {
                LOG.info("inbox file {}: {} message(s), none failed", InboxFile.printable(name), take.seen());
            }
            // the pictures first: a crash before the message file moves leaves it to be filed again, pictures or not
            InboxMedia.file(inbox, InboxMedia.named(name, file(exchange)), done);
            Filing.move(file(exchange), done.resolve(target));
            progress.delete();
        } catch (IOException e) {
            keepUnwritten(progress);
            closeQuietly(progress);
            gate.close("cannot file '" + InboxFile.printable(name) + "' under " + DONE + " (" + e.getMessage() + ")");
        }
    }

    /** The whole file is refused: it goes under .error/ with NAME.error.json saying why. */
    public void refuse(Exchange exchange) {
        String name = name(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String why = e instanceof UnreadableFileException ? e.getMessage()
                : "could not be processed: " + e.getClass().getSimpleName();
        InboxTake take = exchange.getProperty(TAKE, InboxTake.class);
        try {
            Path error = Files.createDirectories(inbox.resolve(ERROR));
            String target = Filing.freeName(error, name);
            var report = JSON.createObjectNode()
                    .put("file", name)
                    .put("reason", Reason.INVALID_INPUT.wireName())
                    .put("errmsg", why);
            Filing.writeWhole(error.resolve(target + ERROR_JSON), report.toPrettyString() + "\n");
            Filing.move(file(exchange), error.resolve(target));
            if (take != null) {
                take.progress().delete();
            }
            LOG.warn("inbox file {} refused: {}", InboxFile.printable(name), why);
        } catch (IOException io) {
            if (take != null) {
                closeQuietly(take.progress());
            }
            gate.close("cannot file '" + InboxFile.printable(name) + "' under " + ERROR + " (" + io.getMessage() + ")");
        }
    }

    private void keepUnwritten(Progress progress) {
        List<String> entries = progress.unwritten();
        if (!entries.isEmpty()) {
            unwritten.merge(progress.file(), entries, (a, b) -> {
                List<String> both = new java.util.ArrayList<>(a);
                both.addAll(b);
                return both;
            });
        }
    }

    private static void closeQuietly(Progress progress) {
        try {
            progress.close();
        } catch (IOException ignored) {
            // the journal's last whole line stands; the next take reads up to it
        }
    }

    private static Path file(Exchange exchange) {
        return Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
    }

    private static String name(Exchange exchange) {
        return exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
    }
}
