package dev.kefurelay.component;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.kefurelay.message.MediaInput;
import dev.kefurelay.message.MessageReader;
import dev.kefurelay.message.OutboundMessage;
import dev.kefurelay.message.TypingCommand;
import dev.kefurelay.store.IdClaim;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.StoreException;
import dev.kefurelay.store.StoreUnavailableException;
import dev.kefurelay.token.AccessToken;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.wechat.ErrorPolicy;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.RetryPolicy;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.wechat.WeChatReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send flow in plain Java: read and check, configured account, duplicate (claimed per account and id), quota,
 * then attempts with backoff. One attempt is token → post → on 40001/40014/42001 the token dropped (only if still
 * cached), a new one and one more post → judged by the {@link ErrorPolicy}. Tokens and a copy of an id in flight are
 * futures, and a retry is scheduled on the component's scheduler, so no caller's thread sleeps through a backoff.
 * The call to WeChat blocks: it runs on the caller's thread when the caller said it waits anyway
 * ({@code onCallersThread}, the endpoint's {@code synchronous=true}) and its token was there, otherwise on the
 * component's pool (never on a token fetcher's thread, where all who waited for that token would queue); a retry's
 * call always runs on the pool, so the scheduler's one thread never waits on WeChat. A message with media sources
 * gets their ids first, in each attempt ({@link MediaSteps}), so an upload refused as busy is retried like a send.
 */
public final class SendSteps {

    static final String CUSTOM_SEND = "/cgi-bin/message/custom/send";
    /** invalid media_id */
    static final int INVALID_MEDIA_ID = 40007;

    private static final Logger LOG = LoggerFactory.getLogger(SendSteps.class);

    private final MessageReader reader;
    private final WeChatClient api;
    private final TokenCache tokens;
    private final QuotaPauses quotaPauses;
    private final KefuStore store;
    private final Duration idWait;
    private final RetryPolicy retry;
    private final ScheduledExecutorService scheduler;
    private final Executor pool;
    private final Outcomes outcomes;
    private final MediaSteps media;
    /** Messages waiting for their next attempt: failed, not forgotten, when the component stops. */
    private final Set<CompletableFuture<Outcome>> waiting = ConcurrentHashMap.newKeySet();

    public SendSteps(MessageReader reader, WeChatClient api, TokenCache tokens, QuotaPauses quotaPauses,
            KefuStore store, Duration idWait, RetryPolicy retry, ScheduledExecutorService scheduler, Executor pool,
            Outcomes outcomes, MediaSteps media) {
        this.reader = reader;
        this.api = api;
        this.tokens = tokens;
        this.quotaPauses = quotaPauses;
        this.store = store;
        this.idWait = idWait;
        this.retry = retry;
        this.scheduler = scheduler;
        this.pool = pool;
        this.outcomes = outcomes;
        this.media = media;
    }

    /** Reads and checks the message; throws {@code InvalidMessageException} naming what is wrong. */
    public OutboundMessage read(String body, String appidOverride, String toUser, MediaInput media) {
        return reader.read(body, appidOverride, toUser, media);
    }

    public TypingCommand readTyping(String body, String appidOverride) {
        return reader.readTyping(body, appidOverride);
    }

    /**
     * Delivers a message that was read: completes with delivered or duplicate, or fails with the
     * {@link SendFailedException} (or {@code InvalidMessageException}) that ended it. An appid that is not
     * configured fails before its id is looked at or any token is asked for; a copy of an id in flight goes on
     * once that copy's outcome is known (see {@link KefuStore#claimId}), whichever relay sends it.
     */
    public CompletableFuture<Outcome> send(OutboundMessage message, boolean onCallersThread) {
        try {
            tokens.requireConfigured(message.appid());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<IdClaim> claimed = store.claimId(message.appid(), message.id()).exceptionallyCompose(e ->
                // a store still away when the application stops: no outcome, the caller keeps the message
                unwrap(e) instanceof StoreUnavailableException away ? CompletableFuture.failedFuture(away)
                // no store, no knowing whether the id went out: a retryable failure keeps the message
                : CompletableFuture.failedFuture(new RetryableSendException(null, "cannot check id '" + message.id()
                        + "' of " + message.appid() + ": " + (unwrap(e) instanceof StoreException se ? se.getMessage()
                        : unwrap(e).toString()))));
        // a copy that had to wait goes on on the pool, not inside the thread that ended the copy before it
        Executor next = claimed.isDone() ? Runnable::run : pool;
        return claimed.thenComposeAsync(claim -> switch (claim.verdict()) {
            case DUPLICATE -> CompletableFuture.completedFuture(Outcome.alreadyDelivered());
            // that copy may still deliver it: sending this one could deliver twice, and failing keeps it for a
            // replay (a dead letter, the caller's error handler)
            case GAVE_UP -> CompletableFuture.failedFuture(new SendFailedException(Reason.UNKNOWN_OUTCOME, null,
                    "another copy of id '" + message.id() + "' of " + message.appid() + " was still being sent after "
                            + idWait.toSeconds() + "s: not sent, so that it cannot be delivered "
                            + "twice; replay it once that copy's outcome is known"));
            case SEND -> sendClaimed(message, claim, calls(onCallersThread));
        }, next);
    }

    private CompletableFuture<Outcome> sendClaimed(OutboundMessage message, IdClaim claim, Executor calls) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        // however it fails (quota, no retry left, the component stopping), a copy waiting for it may now be sent
        result.whenComplete((outcome, error) -> {
            if (error != null) {
                claim.failed();
            }
        });
        try {
            quotaPauses.check(message.appid());
            // with media sources the body is made per attempt, once their ids are known
            deliver(message, claim, message.body(), 0, result, calls);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * Shows or hides "typing…": the same attempt as a message, but no backoff retries (a typing indicator that
     * shows up seconds late is worse than none), so a busy WeChat simply fails it as wechat-error. The path is the
     * account kind's: a Mini Program's goes to custom/business/typing.
     */
    public CompletableFuture<Outcome> typing(TypingCommand command, boolean onCallersThread) {
        return attempt(command.appid(), command.path(), command.toJson(), calls(onCallersThread)).handle((ok, error) -> {
            if (error == null) {
                return Outcome.delivered();
            }
            SendFailedException failure = Outcomes.asFailure(unwrap(error));
            Reason reason = failure instanceof RetryableSendException ? Reason.WECHAT_ERROR : failure.reason();
            throw new SendFailedException(reason, failure.errcode(), failure.errmsg());
        });
    }

    /** Fails every message waiting for a retry: the component stops, and no attempt will come. */
    public void abortWaiting() {
        for (CompletableFuture<Outcome> result : waiting) {
            result.completeExceptionally(new RetryableSendException(null, "stopped while waiting to try again"));
        }
        waiting.clear();
    }

    private void deliver(OutboundMessage message, IdClaim claim, String payload, int retriesDone,
            CompletableFuture<Outcome> result, Executor calls) {
        (message.media().isEmpty() ? attempt(message.appid(), CUSTOM_SEND, payload, calls)
                : attemptWithMedia(message, calls)).whenComplete((ok, error) -> {
            if (error == null) {
                // recorded before the caller hears of it: a resend it makes next is a duplicate
                claim.delivered();
                result.complete(Outcome.delivered());
                return;
            }
            Throwable cause = unwrap(error);
            if (!retry.shouldRetry(cause, retriesDone)) {
                result.completeExceptionally(cause);
                return;
            }
            int next = retriesDone + 1;
            Duration wait = retry.delayBefore(next);
            LOG.info("attempt {} of {} of a message for {} failed ({}): will retry in {} ms", retriesDone + 1,
                    retry.maxRetries() + 1, message.appid(), ((SendFailedException) cause).errmsg(), wait.toMillis());
            waiting.add(result);
            try {
                scheduler.schedule(() -> {
                    if (waiting.remove(result)) {
                        outcomes.retrying(message.appid());
                        deliver(message, claim, payload, next, result, pool);
                    }
                }, wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                waiting.remove(result);
                result.completeExceptionally(cause);
            }
        });
    }

    /** One attempt; completes when WeChat took the call, fails with the contract's failure otherwise. */
    CompletableFuture<Void> attempt(String appid, String path, String payload, Executor calls) {
        // only a lost answer to custom/send may hide a delivered message (unknown outcome)
        return authorized(tokens, appid, token -> api.post(path, query(token), payload, CUSTOM_SEND.equals(path)),
                calls, pool).thenAccept(reply -> judge(appid, path, reply));
    }

    /**
     * One attempt of a message with media sources: their ids (remembered or uploaded), then the send. WeChat's
     * 40007 for an id that was remembered means it forgot the upload before we did: those ids are forgotten, the
     * content uploaded again and the message sent once more. A 40007 for ids this very attempt uploaded is final.
     */
    private CompletableFuture<Void> attemptWithMedia(OutboundMessage message, Executor calls) {
        return media.resolve(message, calls).thenCompose(resolved -> attempt(message.appid(), CUSTOM_SEND,
                resolved.payload(message), calls).exceptionallyCompose(error -> {
                    Throwable cause = unwrap(error);
                    if (!(cause instanceof SendFailedException f && Integer.valueOf(INVALID_MEDIA_ID).equals(f.errcode())
                            && resolved.anyRemembered())) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    LOG.info("WeChat no longer knows a remembered media_id of {} (40007): uploading again",
                            message.appid());
                    media.forget(resolved);
                    return media.resolve(message, calls).thenCompose(fresh -> attempt(message.appid(), CUSTOM_SEND,
                            fresh.payload(message), calls));
                }));
    }

    /**
     * A call with the account's token: on 40001/40014/42001 the token is dropped (only if still cached) and the call
     * made once more with a new one. The call blocks, so it runs on {@code calls}, or on {@code pool} when its
     * token had to be fetched first (see {@link #withToken}).
     */
    static CompletableFuture<WeChatReply> authorized(TokenCache tokens, String appid,
            Function<AccessToken, WeChatReply> call, Executor calls, Executor pool) {
        CompletableFuture<AccessToken> first = tokens.getAsync(appid);
        return withToken(first, call, calls, pool).thenCompose(reply -> {
            if (ErrorPolicy.verdict(reply) != ErrorPolicy.Verdict.TOKEN_REJECTED) {
                return CompletableFuture.completedFuture(reply);
            }
            tokens.reject(appid, first.join());
            return withToken(tokens.getAsync(appid), call, calls, pool);
        });
    }

    /**
     * The call with the token: on {@code calls} when the token was there already, else on the pool. A token that
     * had to be fetched completes on the fetcher's thread, and every caller that waited for it goes on there: run
     * on the caller's thread ({@code calls}), their calls would then go one after another on that one thread (64
     * consumers at a relay's first message, or after a 40001: 32 calls of 50 ms each per account, the first
     * second after a start nearly lost).
     */
    private static CompletableFuture<WeChatReply> withToken(CompletableFuture<AccessToken> token,
            Function<AccessToken, WeChatReply> call, Executor calls, Executor pool) {
        Executor where = token.isDone() ? calls : pool;
        return token.thenCompose(t -> CompletableFuture.supplyAsync(() -> call.apply(t), where));
    }

    /** The query that carries the token; never logged (WeChatClient names only the path). */
    static String query(AccessToken token) {
        return "access_token=" + URLEncoder.encode(token.value(), StandardCharsets.UTF_8);
    }

    /** Where a call waits once its token is there (see {@link #authorized}). */
    private Executor calls(boolean onCallersThread) {
        return onCallersThread ? Runnable::run : pool;
    }

    /** Returns when WeChat took the message; throws the contract's failure otherwise. */
    private void judge(String appid, String path, WeChatReply reply) {
        ErrorPolicy.Verdict verdict = ErrorPolicy.verdict(reply);
        if (verdict == ErrorPolicy.Verdict.DELIVERED) {
            return;
        }
        // the daily quota pause is about messages; a typing call does not stop the account's sending
        if (verdict == ErrorPolicy.Verdict.DAILY_QUOTA && CUSTOM_SEND.equals(path)) {
            quotaPauses.pause(appid);
        }
        throw ErrorPolicy.failure(reply);
    }

    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
