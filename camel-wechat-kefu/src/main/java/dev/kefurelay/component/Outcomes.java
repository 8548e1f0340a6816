package dev.kefurelay.component;

import java.time.Instant;

import dev.kefurelay.media.MediaUploads;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.message.OutboundMessage;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records how a message ended: one INFO (or WARN) line on logger {@code dev.kefurelay.outcome} for the operator,
 * the listener told (metrics), and, for the caller, the outcome JSON as body and the Kefu* headers.
 */
public final class Outcomes {

    private static final Logger LOG = LoggerFactory.getLogger("dev.kefurelay.outcome");

    private final OutcomeListener listener;

    public Outcomes(OutcomeListener listener) {
        this.listener = listener == null ? OutcomeListener.NONE : listener;
    }

    /**
     * @param m             the message as read, or null when it could not be read
     * @param account       what the listener hears the message's account as: its appid, or a WeCom message's corp
     *                      (the log line names its kf account); null when it could not be read
     * @param startedNanos  {@link System#nanoTime()} when the component took the message
     */
    public void finished(OutboundMessage m, String account, Outcome outcome, long startedNanos) {
        long latencyMs = (System.nanoTime() - startedNanos) / 1_000_000;
        log(m, outcome, latencyMs);
        listener.outcome(account, outcome, latencyMs);
    }

    /** Called before each new attempt of a message whose attempt failed with a retryable failure. */
    public void retrying(String appid) {
        listener.retry(appid);
    }

    /** What becomes of media sources, for the listener: Official Accounts' and WeCom's alike. */
    MediaUploads.Listener media() {
        return new MediaUploads.Listener() {
            @Override
            public void uploaded(String account, String uploadType) {
                listener.mediaUploaded(account, uploadType);
            }

            @Override
            public void reused(String account, String uploadType) {
                listener.mediaReused(account, uploadType);
            }

            @Override
            public void failed(String account, String uploadType, Throwable cause) {
                SendFailedException failure = asFailure(cause);
                LOG.debug("media for {} ({}) failed: {}", account, uploadType, failure.errmsg());
                listener.mediaFailed(account, uploadType, failure.reason().wireName());
            }
        };
    }

    /** Maps any exception to the contract's reasons; unexpected ones keep their type name, not their text. */
    public static SendFailedException asFailure(Throwable e) {
        if (e instanceof SendFailedException f) {
            return f;
        }
        if (e instanceof InvalidMessageException) {
            return new SendFailedException(Reason.INVALID_INPUT, null, e.getMessage());
        }
        return new SendFailedException(Reason.WECHAT_ERROR, null, "unexpected " + e.getClass().getSimpleName());
    }

    /**
     * The outcome as the caller sees it: JSON body and Kefu* headers. The one place that writes them, so that
     * every route reporting an outcome (send, typing, the relay's component-mode inputs, the Kamelet) reads alike.
     */
    public static void write(Message out, Outcome outcome) {
        out.setBody(outcome.toJson());
        out.setHeader(KefuHeaders.OUTCOME, outcome.status());
        // by name, each: a second send on one exchange must not keep the first one's channel or msgid
        setOrRemove(out, KefuHeaders.CHANNEL, outcome.channel());
        setOrRemove(out, KefuHeaders.MSG_ID, outcome.msgid());
        if (!outcome.isDelivered()) {
            out.setHeader(KefuHeaders.REASON, outcome.reason());
            out.setHeader(KefuHeaders.ERRCODE, outcome.errcode());
            out.setHeader(KefuHeaders.ERRMSG, outcome.errmsg());
            out.setHeader(KefuHeaders.FAILED_AT, Instant.now().toString());
        } else {
            // a route that sends twice on one exchange must not see the first failure on the second success, nor a
            // dead letter moved back to the queue (its Kefu* failure properties come along) its old failure
            // by name, not removeHeaders(pattern): Camel compiles a pattern anew on every call
            out.removeHeader(KefuHeaders.REASON);
            out.removeHeader(KefuHeaders.ERRCODE);
            out.removeHeader(KefuHeaders.ERRMSG);
            out.removeHeader(KefuHeaders.FAILED_AT);
        }
    }

    private static void setOrRemove(Message out, String name, String value) {
        if (value != null) {
            out.setHeader(name, value);
        } else {
            out.removeHeader(name);
        }
    }

    /**
     * One line of fixed fields, built only when the level is on, written as one string: no argument array, no boxed
     * latency, no placeholders for SLF4J to look for, the masked openid appended in place rather than cut out and
     * joined first. The line goes out before the caller hears of the outcome (whatever the appender does with it).
     */
    private static void log(OutboundMessage m, Outcome outcome, long latencyMs) {
        boolean delivered = outcome.isDelivered();
        if (delivered ? !LOG.isInfoEnabled() : !LOG.isWarnEnabled()) {
            return;
        }
        // the message's values are the sender's: one line whatever they hold (LogValues)
        StringBuilder line = new StringBuilder(160).append(outcome.status()).append(" appid=");
        if (m == null) {
            line.append("- touser=- msgtype=- id=-");
        } else {
            LogValues.append(line, m.appid()).append(" touser=");
            maskUser(line, m.message().touser()).append(" msgtype=");
            LogValues.append(line, m.message().msgtype()).append(" id=");
            LogValues.append(line, m.id());
        }
        line.append(" channel=").append(outcome.channel() == null ? "-" : outcome.channel());
        if (delivered) {
            LOG.info(line.append(" latency=").append(latencyMs).append("ms").toString());
        } else {
            line.append(" reason=").append(outcome.reason()).append(" errcode=")
                    .append(outcome.errcode() == null ? "-" : outcome.errcode()).append(" errmsg=");
            LogValues.append(line, outcome.errmsg()).append(" latency=").append(latencyMs).append("ms");
            LOG.warn(line.toString());
        }
    }

    /** An openid identifies a person: keep enough to correlate, not enough to contact them. */
    public static String maskUser(String openid) {
        return maskUser(new StringBuilder(9), openid).toString();
    }

    /** {@link #maskUser(String)} appended, its kept characters one line as every logged value. */
    private static StringBuilder maskUser(StringBuilder out, String openid) {
        if (openid == null || openid.length() <= 6) {
            return out.append("***");
        }
        LogValues.append(out, openid, 0, 4).append("***");
        return LogValues.append(out, openid, openid.length() - 2, openid.length());
    }
}
