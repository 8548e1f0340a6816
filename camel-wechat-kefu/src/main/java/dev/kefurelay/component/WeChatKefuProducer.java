package dev.kefurelay.component;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.KefuMessage;
import dev.kefurelay.message.MediaInput;
import dev.kefurelay.message.OutboundMessage;
import dev.kefurelay.message.StrictJson;
import dev.kefurelay.message.UnreadableInput;
import dev.kefurelay.store.StoreUnavailableException;
import dev.kefurelay.token.TokenCalls;
import dev.kefurelay.wechat.SendFailedException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Takes the body (message JSON as String or strict UTF-8 bytes, a {@link KefuMessage}, a {@code Map}, or plain
 * text with a recipient; an {@link UnreadableInput} is refused as invalid-input with its reason), hands it to the
 * component's send flow and reports the outcome: as body and Kefu* headers, or as a {@link SendFailedException}
 * (endpoint option {@code failure}).
 */
public class WeChatKefuProducer extends DefaultAsyncProducer {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WeChatKefuProducer.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WeChatKefuEndpoint endpoint;
    private final WeChatKefuConfiguration config;

    public WeChatKefuProducer(WeChatKefuEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.config = endpoint.getConfiguration();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        long started = System.nanoTime();
        WeChatKefuComponent component = endpoint.getComponent();
        SendSteps steps = component.steps();
        Message in = exchange.getMessage();
        if (config.getOperation() == WeChatKefuOperation.interaction) {
            // a store write and nothing else: done here, the body left as it was for the rest of the route
            try {
                // the account that received it: the header, the endpoint's, or the component's default account
                String appid = firstNonBlank(firstNonBlank(in.getHeader(KefuHeaders.APP_ID, String.class),
                        config.getAppid()), component.getConfiguration().getAppid());
                in.setHeader(KefuHeaders.INTERACTION, PushInteractions.record(steps.windows(), appid, in.getBody()));
            } catch (RuntimeException e) {
                exchange.setException(e);
            }
            callback.done(true);
            return true;
        }
        OutboundMessage message = null;
        // whose message it is for the listener (metrics): the appid, or a WeCom message's corp
        String account = null;
        CompletableFuture<Outcome> result;
        // synchronous=true: the caller waits for the outcome anyway, so the call to WeChat runs on its thread
        boolean onCallersThread = config.isSynchronous();
        try {
            String appid = firstNonBlank(in.getHeader(KefuHeaders.APP_ID, String.class), config.getAppid());
            if (config.getOperation() == WeChatKefuOperation.typing) {
                result = steps.typing(steps.readTyping(text(in), appid), onCallersThread);
            } else {
                String body = text(in);
                if (WeComSend.handles(body)) {
                    // a message with open_kfid is WeCom 微信客服's: its own flow, the same outcome reporting
                    WeComSend.Started wecom = WeComSend.start(component, body, media(exchange), onCallersThread);
                    message = wecom.view();
                    account = wecom.account();
                    result = wecom.result();
                } else {
                    String touser = firstNonBlank(config.getTouser(), in.getHeader(KefuHeaders.TO_USER, String.class));
                    message = steps.read(shaped(body, touser), appid, touser, media(exchange));
                    account = message.appid();
                    result = steps.send(message, onCallersThread);
                }
            }
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        OutboundMessage read = message;
        String reportedAs = account;
        if (onCallersThread || result.isDone()) {
            // the waiting happens here, on the caller's thread, by its own choice (synchronous=true), and so does
            // the outcome (headers, log line, metrics), not on the thread that completed it (the pool's)
            if (!result.isDone()) {
                result.exceptionally(error -> null).join();
            }
            result.handle((outcome, error) -> finishSafely(exchange, read, reportedAs, outcome, error, started))
                    .join();
            callback.done(true);
            return true;
        }
        // the user's route goes on from here, on the component's pool: on the pool's thread that completed the
        // outcome (the call's, nearly always), never on a token fetcher's or the retry scheduler's thread, where an
        // outcome may also complete
        result.whenCompleteAsync((outcome, error) -> {
            finishSafely(exchange, read, reportedAs, outcome, error, started);
            try {
                callback.done(false);
            } catch (RuntimeException e) {
                // the rest of the caller's route ran inside done(); what it threw would vanish in this future
                LOG.error("the route after wechat-kefu failed outside Camel's error handling", e);
            }
        }, component.continuations().continuation());
        return false;
    }

    /** {@link #finish}, and whatever it throws on the exchange: the callback must be called whatever happens. */
    private Void finishSafely(Exchange exchange, OutboundMessage message, String account, Outcome outcome,
            Throwable error, long started) {
        try {
            return finish(exchange, message, account, outcome, error, started);
        } catch (RuntimeException e) {
            exchange.setException(e);
            return null;
        }
    }

    private Void finish(Exchange exchange, OutboundMessage message, String account, Outcome outcome, Throwable error,
            long started) {
        Outcome ended = outcome;
        if (error != null && TokenCalls.unwrap(error) instanceof StoreUnavailableException away) {
            // not sent and not failed (the store was away when the application stopped): no outcome to report, the
            // caller keeps the message (a JMS consumer rolls it back, an inbox line stays unsent)
            exchange.setException(away);
            return null;
        }
        if (error != null) {
            SendFailedException failure = Outcomes.asFailure(TokenCalls.unwrap(error));
            WeComSend.annotate(exchange.getMessage(), failure);
            ended = Outcome.failed(failure);
            if (config.getFailure() == FailureMode.OUTCOME) {
                Outcomes.write(exchange.getMessage(), ended);
            } else {
                exchange.setException(failure);
            }
        } else {
            Outcomes.write(exchange.getMessage(), ended);
            WeComSend.annotate(exchange.getMessage(), null);
        }
        if (config.getOperation() == WeChatKefuOperation.send) {
            endpoint.getComponent().outcomes().finished(message, account, ended, started);
        }
        return null;
    }

    /**
     * With the endpoint's touser, msgtype or kfAccount the body may be a content object or plain text, and a whole
     * message gets what it lacks; without them the body is read exactly as handed over.
     */
    private String shaped(String body, String touser) {
        if (config.getTouser() == null && config.getMsgtype() == null && config.getKfAccount() == null) {
            return body;
        }
        return SinkMessage.shape(body, touser, config.getKfAccount(), config.getMsgtype());
    }

    private static String text(Message in) {
        Object body = in.getBody();
        if (body == null || body instanceof String) {
            return (String) body;
        }
        if (body instanceof UnreadableInput unreadable) {
            throw new InvalidMessageException(unreadable.why());
        }
        if (body instanceof byte[] bytes) {
            // strictly: Camel's conversion would put U+FFFD in place of bad bytes and send altered text
            return StrictJson.utf8(bytes, "the message");
        }
        if (body instanceof KefuMessage || body instanceof Map) {
            try {
                return JSON.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new InvalidMessageException("the message object cannot be written as JSON: "
                        + e.getOriginalMessage());
            }
        }
        return in.getBody(String.class);
    }

    /** The exchange's media: its folder for file sources (a property), its bytes for an id left out (headers). */
    private static MediaInput media(Exchange exchange) {
        Message in = exchange.getMessage();
        Object folder = exchange.getProperty(KefuHeaders.MEDIA_DIR_PROPERTY);
        byte[] media = in.getHeader(KefuHeaders.MEDIA, byte[].class);
        byte[] thumb = in.getHeader(KefuHeaders.THUMB_MEDIA, byte[].class);
        if (folder == null && media == null && thumb == null) {
            return MediaInput.NONE;
        }
        return new MediaInput(folder == null ? null : mediaDir(folder.toString()), media, thumb);
    }

    /** The route's folder for the message's files: one no file system takes is the input's fault, like any other. */
    private static Path mediaDir(String folder) {
        try {
            return Path.of(folder);
        } catch (InvalidPathException e) {
            throw new InvalidMessageException("exchange property " + KefuHeaders.MEDIA_DIR_PROPERTY + " '"
                    + StrictJson.excerpt(folder) + "' is not a valid path (" + e.getReason() + ")");
        }
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
    }
}
