package dev.kefurelay.component;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.kefurelay.message.OutboundMessage;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenCalls;
import dev.kefurelay.wechat.ErrorPolicy;
import dev.kefurelay.wechat.RetryPolicy;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.wechat.WeChatReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to WeChat with the account's token, judged by the {@link ErrorPolicy}, and tried again with backoff while
 * they may pass. One attempt is token → post → on 40001/40014/42001 the token dropped (only if still cached), a new
 * one and one more post. Tokens are futures and a retry is scheduled on the component's scheduler, so no caller's
 * thread sleeps through a backoff; a retry's call always runs on the pool, so the scheduler's one thread never waits
 * on WeChat.
 */
final class Attempts {

    static final String CUSTOM_SEND = "/cgi-bin/message/custom/send";
    static final String TEMPLATE_SEND = "/cgi-bin/message/template/send";
    static final String SUBSCRIBE_SEND = "/cgi-bin/message/subscribe/bizsend";
    /** A Mini Program's subscribe message. */
    static final String MINIPROGRAM_SUBSCRIBE_SEND = "/cgi-bin/message/subscribe/send";
    /**
     * The calls that deliver a message to a user: for these alone a lost answer may hide a delivered message
     * (unknown outcome, never retried unless the user allows a duplicate).
     */
    static final Set<String> DELIVERING = Set.of(CUSTOM_SEND, TEMPLATE_SEND, SUBSCRIBE_SEND,
            MINIPROGRAM_SUBSCRIBE_SEND);
    /** invalid media_id */
    static final int INVALID_MEDIA_ID = 40007;

    private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);

    private final WeChatClient api;
    private final TokenCache tokens;
    private final QuotaPauses quotaPauses;
    private final RetryPolicy retry;
    private final ScheduledExecutorService scheduler;
    private final Executor pool;
    private final Outcomes outcomes;
    private final MediaSteps media;
    /** Calls waiting for their next attempt: failed, not forgotten, when the component stops. */
    private final Set<CompletableFuture<?>> waiting = ConcurrentHashMap.newKeySet();

    Attempts(WeChatClient api, TokenCache tokens, QuotaPauses quotaPauses, RetryPolicy retry,
            ScheduledExecutorService scheduler, Executor pool, Outcomes outcomes, MediaSteps media) {
        this.api = api;
        this.tokens = tokens;
        this.quotaPauses = quotaPauses;
        this.retry = retry;
        this.scheduler = scheduler;
        this.pool = pool;
        this.outcomes = outcomes;
        this.media = media;
    }

    /** The message's custom/send, with retries: its media sources' ids first when it has any. */
    CompletableFuture<WeChatReply> customSend(OutboundMessage message, Executor calls) {
        return retried(message.appid(), calls, on -> message.media().isEmpty()
                ? attempt(message.appid(), CUSTOM_SEND, message.body(), on) : attemptWithMedia(message, on));
    }

    /** One call to {@code path}, with retries. */
    CompletableFuture<WeChatReply> post(String appid, String path, String payload, Executor calls) {
        return retried(appid, calls, on -> attempt(appid, path, payload, on));
    }

    /** Fails every call waiting for a retry: the component stops, and no attempt will come. */
    void abortWaiting() {
        for (CompletableFuture<?> result : waiting) {
            result.completeExceptionally(new RetryableSendException(null, "stopped while waiting to try again"));
        }
        waiting.clear();
    }

    /**
     * Attempts until one passes or fails for good. The first runs its call on {@code calls}, a retry on the pool.
     */
    private CompletableFuture<WeChatReply> retried(String appid, Executor calls,
            Function<Executor, CompletableFuture<WeChatReply>> attempt) {
        CompletableFuture<WeChatReply> result = new CompletableFuture<>();
        retry(appid, attempt, 0, calls, result);
        return result;
    }

    private void retry(String appid, Function<Executor, CompletableFuture<WeChatReply>> attempt, int retriesDone,
            Executor calls, CompletableFuture<WeChatReply> result) {
        attempt.apply(calls).whenComplete((reply, error) -> {
            if (error == null) {
                result.complete(reply);
                return;
            }
            Throwable cause = TokenCalls.unwrap(error);
            if (!retry.shouldRetry(cause, retriesDone)) {
                result.completeExceptionally(cause);
                return;
            }
            int next = retriesDone + 1;
            Duration wait = retry.delayBefore(next);
            LOG.info("attempt {} of {} of a message for {} failed ({}): will retry in {} ms", retriesDone + 1,
                    retry.maxRetries() + 1, appid, ((SendFailedException) cause).errmsg(), wait.toMillis());
            waiting.add(result);
            try {
                scheduler.schedule(() -> {
                    if (waiting.remove(result)) {
                        outcomes.retrying(appid);
                        retry(appid, attempt, next, pool, result);
                    }
                }, wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                waiting.remove(result);
                result.completeExceptionally(cause);
            }
        });
    }

    /** One attempt; completes with WeChat's answer when it took the call, fails with the contract's failure otherwise. */
    CompletableFuture<WeChatReply> attempt(String appid, String path, String payload, Executor calls) {
        return TokenCalls.authorized(tokens, appid, token -> api.post(path, TokenCalls.query(token), payload, DELIVERING.contains(path)),
                calls, pool).thenApply(reply -> judge(appid, path, reply));
    }

    /**
     * One attempt of a message with media sources: their ids (remembered or uploaded), then the send. WeChat's
     * 40007 for an id that was remembered means it forgot the upload before we did: those ids are forgotten, the
     * content uploaded again and the message sent once more. A 40007 for ids this very attempt uploaded is final.
     */
    private CompletableFuture<WeChatReply> attemptWithMedia(OutboundMessage message, Executor calls) {
        return media.resolve(message, calls).thenCompose(resolved -> attempt(message.appid(), CUSTOM_SEND,
                MediaSteps.payload(message, resolved), calls).exceptionallyCompose(error -> {
                    Throwable cause = TokenCalls.unwrap(error);
                    if (!(cause instanceof SendFailedException f && Integer.valueOf(INVALID_MEDIA_ID).equals(f.errcode())
                            && resolved.anyRemembered())) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    LOG.info("WeChat no longer knows a remembered media_id of {} (40007): uploading again",
                            message.appid());
                    media.forget(resolved);
                    return media.resolve(message, calls).thenCompose(fresh -> attempt(message.appid(), CUSTOM_SEND,
                            MediaSteps.payload(message, fresh), calls));
                }));
    }

    /** Returns the answer when WeChat took the call; throws the contract's failure otherwise. */
    private WeChatReply judge(String appid, String path, WeChatReply reply) {
        ErrorPolicy.Verdict verdict = ErrorPolicy.verdict(reply);
        if (verdict == ErrorPolicy.Verdict.DELIVERED) {
            return reply;
        }
        // the daily quota pause is custom/send's: a typing call or a fallback's quota does not stop the account
        if (verdict == ErrorPolicy.Verdict.DAILY_QUOTA && CUSTOM_SEND.equals(path)) {
            quotaPauses.pause(appid);
        }
        throw ErrorPolicy.failure(reply);
    }
}
