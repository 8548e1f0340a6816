package dev.kefurelay.wecom;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import dev.kefurelay.token.TokenCalls;
import dev.kefurelay.wechat.Channel;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.window.WindowDecision;
import dev.kefurelay.window.WindowKeeper;
import dev.kefurelay.window.WindowPlace;

/**
 * The customer's window around a WeCom message's attempts, as the component keeps an Official Account user's: the
 * message takes a place in the window book (kf account, customer) before its first attempt. A window the book knows
 * closed (5 messages used, or 95001 said so) fails the message as window-closed without a call, unless preempt is
 * off; a window the book knows nothing of (the customer's messages reach another system) is tried, and WeCom's 95001
 * closes it (also when it ends a message as unknown-outcome, after a lost answer). WeCom has no fallback channel, so a closed window always ends the message ({@link WindowDecision} with
 * no fallback). A message not delivered gives its place back; one whose outcome is unknown keeps it. An answer to an
 * event ({@code code}) is not counted: its code, not the window, lets it through.
 * <p>
 * Whatever it ends with, it ended on WeCom's channel: failures carry {@link Channel#WECOM}.
 */
final class KfWindow {

    private final WindowKeeper book;

    KfWindow(WindowKeeper book) {
        this.book = book;
    }

    /** @param attempts the message's attempts, started when the window lets it through */
    CompletableFuture<WeComSteps.Sent> send(WeComMessage message,
            Supplier<CompletableFuture<WeComSteps.Sent>> attempts) {
        String kf = message.openKfid();
        String customer = message.touser();
        if (customer == null) {
            return onChannel(attempts.get());
        }
        WindowPlace place = book.take(kf, customer);
        if (WindowDecision.before(place.verdict(), book.preempt(), false) == WindowDecision.Route.WINDOW_CLOSED) {
            return CompletableFuture.failedFuture(new SendFailedException(Reason.WINDOW_CLOSED, null,
                    "the customer's window is closed or its 5 messages used (the window book knew it): not sent; "
                            + WeComAnswers.NO_FALLBACK, Channel.WECOM));
        }
        Instant sentAt = book.now();
        return onChannel(attempts.get()).whenComplete((sent, error) -> {
            if (error == null) {
                if (sent == WeComSteps.Sent.ALREADY_DELIVERED) {
                    // WeCom had delivered this msgid before: this call took none of its five
                    book.giveBack(kf, customer, place);
                }
                return;
            }
            SendFailedException failure = TokenCalls.unwrap(error) instanceof SendFailedException f ? f : null;
            if (failure != null && Integer.valueOf(WeComAnswers.WINDOW_CLOSED).equals(failure.errcode())) {
                // WeCom said so, whatever the message ends as (unknown-outcome when an earlier answer was lost)
                book.closed(kf, customer, sentAt);
            } else if (failure == null || failure.reason() != Reason.UNKNOWN_OUTCOME) {
                // not delivered: WeCom did not count it either
                book.giveBack(kf, customer, place);
            }
        });
    }

    private static CompletableFuture<WeComSteps.Sent> onChannel(CompletableFuture<WeComSteps.Sent> attempts) {
        return attempts.handle((sent, error) -> {
            if (error == null) {
                return sent;
            }
            Throwable cause = TokenCalls.unwrap(error);
            throw new CompletionException(cause instanceof SendFailedException f ? f.on(Channel.WECOM) : cause);
        });
    }
}
