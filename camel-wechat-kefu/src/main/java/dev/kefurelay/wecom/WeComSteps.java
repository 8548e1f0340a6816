package dev.kefurelay.wecom;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kefurelay.message.MediaInput;
import dev.kefurelay.store.IdClaim;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.StoreException;
import dev.kefurelay.store.StoreUnavailableException;
import dev.kefurelay.token.AccessToken;
import dev.kefurelay.token.TokenCalls;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.RetryPolicy;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.wechat.WeChatReply;
import dev.kefurelay.window.WindowKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send flow of a WeCom 微信客服 message, in plain Java: its corp configured, its id claimed in the store (per kf
 * account), then attempts with backoff. One attempt: the corp's token, {@code kf/send_msg}, on 40001/40014/42001 a
 * new token and once more, judged by {@link WeComAnswers}. The msgid makes a lost answer safe to retry: the retry
 * carries the same msgid, so WeCom delivers it at most once, and its "msgid used" answer to the retry means the lost
 * attempt delivered. A lost answer is therefore retried (with the same backoff), unlike custom/send's. After a lost
 * answer only a delivery or that "msgid used" decides: any other end (a refusal such as 95001 once the lost attempt
 * took the window's last place, the retries run out, the component stops) is unknown-outcome, as the lost attempt may
 * have delivered. 95018 reads the session's state before failing. The customer's window is kept around the attempts
 * ({@link KfWindow}).
 */
public final class WeComSteps {

    static final String STATE_GET = "/cgi-bin/kf/service_state/get";

    static final long MAPPED_IDS_KEPT = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(WeComSteps.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a message ended well: delivered now, or found delivered before under its msgid (a duplicate). */
    public enum Sent { DELIVERED, ALREADY_DELIVERED }

    private final WeComMessageReader reader;
    private final WeComMedia media;
    private final WeChatClient api;
    private final TokenCache tokens;
    private final KefuStore store;
    private final WeComAnswers answers;
    private final KfWindow window;
    private final RetryPolicy retry;
    private final ScheduledExecutorService scheduler;
    private final Executor pool;
    private final Consumer<String> retrying;
    /** Messages waiting for a retry → whether an earlier attempt's answer was lost. */
    private final Map<CompletableFuture<Sent>, Boolean> waiting = new ConcurrentHashMap<>();
    /**
     * The ids this component mapped to a msgid of another form, for a msg_send_fail WeCom reports later: kept 3
     * days (what sync_msg can still read), at most {@link #MAPPED_IDS_KEPT}.
     */
    private final Cache<String, String> mappedIds = Caffeine.newBuilder().maximumSize(MAPPED_IDS_KEPT)
            .expireAfterWrite(Duration.ofDays(3)).build();

    /** @param retrying told (with the message's corp) before each retry, for metrics */
    public WeComSteps(WeComMessageReader reader, WeComMedia media, WeChatClient api, TokenCache tokens,
            KefuStore store, WindowKeeper windows, ReusedMsgid reused, RetryPolicy retry,
            ScheduledExecutorService scheduler, Executor pool, Consumer<String> retrying) {
        this.reader = reader;
        this.media = media;
        this.api = api;
        this.tokens = tokens;
        this.store = store;
        this.window = new KfWindow(windows);
        this.answers = new WeComAnswers(reused);
        this.retry = retry;
        this.scheduler = scheduler;
        this.pool = pool;
        this.retrying = retrying;
    }

    /** Reads and checks the message; throws {@code InvalidMessageException} naming what is wrong. */
    public WeComMessage read(String body, MediaInput input) {
        return reader.read(body, input);
    }

    /**
     * Delivers a message that was read: completes with how it ended well, or fails with the
     * {@link SendFailedException} (or {@code InvalidMessageException}) that ended it.
     */
    public CompletableFuture<Sent> send(WeComMessage message, boolean onCallersThread) {
        try {
            tokens.requireConfigured(message.corpid());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        Executor calls = onCallersThread ? Runnable::run : pool;
        CompletableFuture<IdClaim> claimed = store.claimId(message.claimAccount(), message.id())
                .exceptionallyCompose(e -> unwrap(e) instanceof StoreUnavailableException away
                        ? CompletableFuture.failedFuture(away)
                        : CompletableFuture.failedFuture(new RetryableSendException(null, "cannot check id '"
                                + message.id() + "' of " + message.openKfid() + ": " + (unwrap(e) instanceof
                                StoreException se ? se.getMessage() : unwrap(e).toString()))));
        Executor next = claimed.isDone() ? Runnable::run : pool;
        return claimed.thenComposeAsync(claim -> switch (claim.verdict()) {
            case DUPLICATE -> CompletableFuture.completedFuture(Sent.ALREADY_DELIVERED);
            // unlike custom/send, a copy that waited in vain may go: WeCom itself refuses its msgid a second time
            case GAVE_UP -> attempts(message, IdClaim.of(IdClaim.Verdict.SEND), calls);
            case SEND -> attempts(message, claim, calls);
        }, next);
    }

    /**
     * The sender's id of a message this kf account sent under this msgid (a msg_send_fail names only the msgid): the
     * msgid itself for an id taken as it is, the id for one this component mapped (while it remembers it), none for
     * a made-up msgid.
     */
    public Optional<String> idOf(String openKfid, String msgid) {
        String mapped = msgid == null ? null : mappedIds.getIfPresent(openKfid + "\u0000" + msgid);
        return Optional.ofNullable(mapped != null ? mapped : WeComMsgid.idOf(msgid));
    }

    /** Fails every message waiting for a retry: the component stops, and no attempt will come. */
    public void abortWaiting() {
        waiting.forEach((result, answerLost) -> {
            RetryableSendException stopped = new RetryableSendException(null, "stopped while waiting to try again");
            result.completeExceptionally(answerLost ? mayHaveDelivered(stopped) : stopped);
        });
        waiting.clear();
    }

    private CompletableFuture<Sent> attempts(WeComMessage message, IdClaim claim, Executor calls) {
        if (message.id() != null && !message.id().equals(message.msgid())) {
            mappedIds.put(message.openKfid() + "\u0000" + message.msgid(), message.id());
        }
        // the claim is settled before the caller hears of the outcome: a resend it makes next is a duplicate
        return window.send(message, () -> {
            CompletableFuture<Sent> result = new CompletableFuture<>();
            deliver(message, 0, false, result, calls);
            return result;
        }).whenComplete((sent, error) -> {
            if (error == null) {
                claim.delivered();
            } else {
                claim.failed();
            }
        });
    }

    /** @param answerLost whether an earlier attempt of this message may have delivered it (its answer was lost) */
    private void deliver(WeComMessage message, int retriesDone, boolean answerLost, CompletableFuture<Sent> result,
            Executor calls) {
        attempt(message, calls).whenComplete((verdict, error) -> {
            if (error == null) {
                // a msgid used already, after an attempt of ours that may have delivered: that attempt did
                result.complete(verdict == WeComAnswers.Verdict.REUSED && !answerLost ? Sent.ALREADY_DELIVERED
                        : Sent.DELIVERED);
                return;
            }
            Throwable cause = unwrap(error);
            boolean lost = cause instanceof SendFailedException f && f.reason() == Reason.UNKNOWN_OUTCOME
                    && !(f instanceof WeComAnswers.Undecided);
            boolean lostSoFar = answerLost || lost;
            Throwable retryable = lost ? new RetryableSendException(null, ((SendFailedException) cause).errmsg()
                    + "; retried with the same msgid, which WeCom does not deliver twice") : cause;
            if (!retry.shouldRetry(retryable, retriesDone)) {
                // after a lost answer nothing but a delivery or "msgid used" tells what became of the message
                result.completeExceptionally(lostSoFar ? mayHaveDelivered(retryable) : cause);
                return;
            }
            int next = retriesDone + 1;
            Duration wait = retry.delayBefore(next);
            LOG.info("attempt {} of {} of a WeCom message for {} failed ({}): will retry in {} ms", next,
                    retry.maxRetries() + 1, message.openKfid(), ((SendFailedException) retryable).errmsg(),
                    wait.toMillis());
            waiting.put(result, lostSoFar);
            try {
                scheduler.schedule(() -> {
                    if (waiting.remove(result) != null) {
                        retrying.accept(message.corpid());
                        deliver(message, next, lostSoFar, result, pool);
                    }
                }, wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                waiting.remove(result);
                result.completeExceptionally(lostSoFar ? mayHaveDelivered(retryable) : cause);
            }
        });
    }

    /**
     * How a message ends after an attempt's answer was lost: unknown-outcome, with what the last attempt got (a
     * WeCom refusal keeps its errcode, so that 95001 still closes the window book).
     */
    private static SendFailedException mayHaveDelivered(Throwable last) {
        Integer errcode = last instanceof SendFailedException f ? f.errcode() : null;
        String errmsg = last instanceof SendFailedException f ? f.errmsg() : String.valueOf(last.getMessage());
        return new SendFailedException(Reason.UNKNOWN_OUTCOME, errcode, errmsg
                + " (an earlier attempt's answer was lost: it may have been delivered)");
    }

    /** One attempt: completes with DELIVERED or REUSED, fails with the contract's failure otherwise. */
    private CompletableFuture<WeComAnswers.Verdict> attempt(WeComMessage message, Executor calls) {
        // deliversMessage: a lost answer is an unknown outcome, which deliver() retries under the same msgid; the
        // media step uploads the message's sources first, and gives the body with their ids
        return media.send(message, calls, payload -> authorized(message.corpid(), token -> api.post(message.path(),
                query(token), payload, true), calls))
                .thenCompose(posted -> {
                    WeChatReply reply = posted.reply();
                    WeComAnswers.Verdict verdict = answers.verdict(reply);
                    if (verdict == WeComAnswers.Verdict.REUSED && posted.afterRefusedMedia()) {
                        return CompletableFuture.failedFuture(WeComAnswers.reusedAfterRefusedMedia(reply));
                    }
                    return switch (verdict) {
                        case DELIVERED, REUSED -> CompletableFuture.completedFuture(verdict);
                        case SESSION_STATE -> sessionState(message, reply, calls)
                                .thenCompose(CompletableFuture::<WeComAnswers.Verdict>failedFuture);
                        case RETRY, GIVE_UP -> CompletableFuture.failedFuture(WeComAnswers.failure(reply, verdict));
                    };
                });
    }

    /** After 95018: the session's state from service_state/get, for the dead letter; a failed read is named. */
    private CompletableFuture<SessionStateException> sessionState(WeComMessage message, WeChatReply refusal,
            Executor calls) {
        if (message.touser() == null) {
            return CompletableFuture.completedFuture(WeComAnswers.sessionState(refusal, -1, "an answer to an event "
                    + "names no customer"));
        }
        String body = JSON.createObjectNode().put("open_kfid", message.openKfid())
                .put("external_userid", message.touser()).toString();
        return authorized(message.corpid(), token -> api.post(STATE_GET, query(token), body, false), calls)
                .handle((reply, error) -> {
                    if (error != null) {
                        Throwable cause = unwrap(error);
                        return WeComAnswers.sessionState(refusal, -1, cause instanceof SendFailedException f
                                ? f.errmsg() : cause.getClass().getSimpleName());
                    }
                    if (reply.status() != 200 || reply.errcode() != 0 || !reply.body().path("service_state")
                            .isIntegralNumber()) {
                        return WeComAnswers.sessionState(refusal, -1, "service_state/get answered errcode "
                                + reply.errcode() + ": " + reply.errmsg());
                    }
                    return WeComAnswers.sessionState(refusal, reply.body().get("service_state").asInt(), null);
                });
    }

    /** A call with the corp's token (see {@link TokenCalls#authorized}). */
    private CompletableFuture<WeChatReply> authorized(String corpid, Function<AccessToken, WeChatReply> call,
            Executor calls) {
        return TokenCalls.authorized(tokens, corpid, call, calls, pool);
    }

    private static String query(AccessToken token) {
        return TokenCalls.query(token);
    }

    private static Throwable unwrap(Throwable t) {
        return TokenCalls.unwrap(t);
    }
}
