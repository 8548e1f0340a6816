package dev.kefurelay.component;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.kefurelay.message.AccountKind;
import dev.kefurelay.message.Fallback;
import dev.kefurelay.message.MediaInput;
import dev.kefurelay.message.MessageReader;
import dev.kefurelay.message.OutboundMessage;
import dev.kefurelay.message.TypingCommand;
import dev.kefurelay.store.IdClaim;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.StoreException;
import dev.kefurelay.store.StoreUnavailableException;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenCalls;
import dev.kefurelay.wechat.Channel;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.wechat.WeChatReply;
import dev.kefurelay.window.WindowDecision;
import dev.kefurelay.window.WindowPlace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send flow in plain Java: read and check, configured account, duplicate (claimed per account and id), the
 * user's customer-service window, then the calls ({@link Attempts}: tokens, retries with backoff). The window book
 * ({@link WindowBook}) gives the message a place in its user's window, or says the window is closed (then
 * {@link WindowDecision} sends the message's fallback, or fails it as window-closed, with no call to custom/send), or
 * knows nothing (then custom/send, and its 45015/45047 closes the book's window). A place taken by a message that was
 * not delivered is given back; one whose outcome is unknown is not.
 * <p>
 * The call to WeChat blocks: it runs on the caller's thread when the caller said it waits anyway
 * ({@code onCallersThread}, the endpoint's {@code synchronous=true}) and its token was there, otherwise on the
 * component's pool (never on a token fetcher's thread, where all who waited for that token would queue).
 */
public final class SendSteps {


    private static final Logger LOG = LoggerFactory.getLogger(SendSteps.class);

    private final MessageReader reader;
    private final TokenCache tokens;
    private final QuotaPauses quotaPauses;
    private final KefuStore store;
    private final WindowBook windows;
    private final Duration idWait;
    private final Executor pool;
    private final Attempts attempts;

    SendSteps(MessageReader reader, TokenCache tokens, QuotaPauses quotaPauses, KefuStore store, WindowBook windows,
            Duration idWait, Executor pool, Attempts attempts) {
        this.reader = reader;
        this.tokens = tokens;
        this.quotaPauses = quotaPauses;
        this.store = store;
        this.windows = windows;
        this.idWait = idWait;
        this.pool = pool;
        this.attempts = attempts;
    }

    /** Reads and checks the message; throws {@code InvalidMessageException} naming what is wrong. */
    public OutboundMessage read(String body, String appidOverride, String toUser, MediaInput media) {
        return reader.read(body, appidOverride, toUser, media);
    }

    public TypingCommand readTyping(String body, String appidOverride) {
        return reader.readTyping(body, appidOverride);
    }

    /** The window book, for pushes that open windows ({@code wechat-kefu:interaction}, the relay's push endpoint). */
    public WindowBook windows() {
        return windows;
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
                TokenCalls.unwrap(e) instanceof StoreUnavailableException away ? CompletableFuture.failedFuture(away)
                // no store, no knowing whether the id went out: a retryable failure keeps the message
                : CompletableFuture.failedFuture(new RetryableSendException(null, "cannot check id '" + message.id()
                        + "' of " + message.appid() + ": " + (TokenCalls.unwrap(e) instanceof StoreException se
                        ? se.getMessage() : TokenCalls.unwrap(e).toString()))));
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
        CompletableFuture<Outcome> result;
        try {
            result = byWindow(message, calls);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        // recorded before the caller hears of it: a resend it makes next is a duplicate; however it fails (quota,
        // no retry left, the component stopping), a copy waiting for it may now be sent
        return result.whenComplete((outcome, error) -> {
            if (error == null) {
                claim.delivered();
            } else {
                claim.failed();
            }
        });
    }

    /** The window decides the channel (see the class comment). */
    private CompletableFuture<Outcome> byWindow(OutboundMessage message, Executor calls) {
        String appid = message.appid();
        String touser = message.message().touser();
        WindowPlace place = windows.take(appid, touser);
        switch (WindowDecision.before(place.verdict(), windows.preempt(), message.fallback() != null)) {
            case WINDOW_CLOSED:
                return CompletableFuture.failedFuture(new SendFailedException(Reason.WINDOW_CLOSED, null,
                        "the user's customer-service window is closed or its messages used up (the window book "
                                + "knew it): not sent; a 'fallback' would carry it outside the window",
                        Channel.CUSTOM));
            case FALLBACK:
                return fallback(message, calls);
            default:
                break;
        }
        try {
            quotaPauses.check(appid);
        } catch (RuntimeException e) {
            windows.giveBack(appid, touser, place);
            return CompletableFuture.failedFuture(Outcomes.asFailure(e).on(Channel.CUSTOM));
        }
        Instant sentAt = windows.now();
        return attempts.customSend(message, calls).handle((reply, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(Outcome.delivered(Channel.CUSTOM, null));
            }
            SendFailedException failure = Outcomes.asFailure(TokenCalls.unwrap(error)).on(Channel.CUSTOM);
            if (failure.reason() == Reason.WINDOW_CLOSED) {
                windows.closed(appid, touser, sentAt);
                if (WindowDecision.afterRefusal(message.fallback() != null) == WindowDecision.Route.FALLBACK) {
                    LOG.debug("custom/send of {} refused ({}): the message's fallback goes instead", appid,
                            failure.errcode());
                    return fallback(message, pool);
                }
            } else if (failure.reason() != Reason.UNKNOWN_OUTCOME) {
                // not delivered: WeChat did not count it either
                windows.giveBack(appid, touser, place);
            }
            return CompletableFuture.<Outcome>failedFuture(failure);
        }).thenCompose(outcome -> outcome);
    }

    /**
     * The message's fallback: a template message (its msgid kept with the message's id, for WeChat's later
     * TEMPLATESENDJOBFINISH) or a subscribe message. Its failures are its own: the channel says which.
     */
    private CompletableFuture<Outcome> fallback(OutboundMessage message, Executor calls) {
        Fallback fallback = message.fallback();
        Channel channel = fallback.channel();
        String path = channel == Channel.TEMPLATE ? Attempts.TEMPLATE_SEND
                : reader.kinds().of(message.appid()) == AccountKind.MINIPROGRAM ? Attempts.MINIPROGRAM_SUBSCRIBE_SEND
                : Attempts.SUBSCRIBE_SEND;
        return attempts.post(message.appid(), path, fallback.body(message.message().touser(), message.id()), calls)
                .handle((reply, error) -> {
                    if (error != null) {
                        throw Outcomes.asFailure(TokenCalls.unwrap(error)).on(channel);
                    }
                    String msgid = reply.text("msgid");
                    remember(message, msgid);
                    return Outcome.delivered(channel, msgid);
                });
    }

    /** Keeps which message a template's msgid was; a store that cannot keep it loses only that join. */
    private void remember(OutboundMessage message, String msgid) {
        if (message.id() == null || msgid == null) {
            return;
        }
        try {
            store.rememberChannelMsgId(message.appid(), msgid, message.id());
        } catch (RuntimeException e) {
            LOG.warn("the msgid of a fallback of {} could not be kept with its id in the {} ({}): its delivery "
                    + "report will not name the id", message.appid(), store.describe(), e.getMessage());
        }
    }

    /**
     * Shows or hides "typing…": the same attempt as a message, but no backoff retries (a typing indicator that
     * shows up seconds late is worse than none), so a busy WeChat simply fails it as wechat-error. The path is the
     * account kind's: a Mini Program's goes to custom/business/typing.
     */
    public CompletableFuture<Outcome> typing(TypingCommand command, boolean onCallersThread) {
        return attempts.attempt(command.appid(), command.path(), command.toJson(), calls(onCallersThread))
                .handle((ok, error) -> {
                    if (error == null) {
                        return Outcome.delivered();
                    }
                    SendFailedException failure = Outcomes.asFailure(TokenCalls.unwrap(error));
                    Reason reason = failure instanceof RetryableSendException ? Reason.WECHAT_ERROR : failure.reason();
                    throw new SendFailedException(reason, failure.errcode(), failure.errmsg());
                });
    }

    /** Fails every message waiting for a retry: the component stops, and no attempt will come. */
    public void abortWaiting() {
        attempts.abortWaiting();
    }

    /** Where a call waits once its token is there (see {@link TokenCalls#authorized}). */
    private Executor calls(boolean onCallersThread) {
        return onCallersThread ? Runnable::run : pool;
    }
}
