package dev.kefurelay.component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.kefurelay.push.PushXml;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.window.Interaction;
import dev.kefurelay.window.WindowKeeper;
import dev.kefurelay.window.WindowPlace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send flows' view of the store's window book (see {@link KefuStore#takeWindowPlace}): Official Accounts' users
 * by appid and openid, WeCom 微信客服's customers by open_kfid and external_userid. The book only saves calls
 * WeChat would refuse; WeChat enforces the window anyway. So a book that cannot be read or written (the database
 * away) is no reason to hold a message: it counts as knowing nothing, the message goes to custom/send (kf/send_msg),
 * and WeChat's answer decides. One WARN line a minute says the book is not being kept.
 */
public final class WindowBook implements WindowKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(WindowBook.class);
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final KefuStore store;
    private final Clock clock;
    private final boolean preempt;
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);

    WindowBook(KefuStore store, Clock clock, boolean preempt) {
        this.store = store;
        this.clock = clock;
        this.preempt = preempt;
    }

    @Override
    public boolean preempt() {
        return preempt;
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public WindowPlace take(String appid, String openid) {
        try {
            return store.takeWindowPlace(appid, openid, clock.instant());
        } catch (RuntimeException e) {
            warn("read", e);
            return WindowPlace.UNKNOWN;
        }
    }

    @Override
    public void giveBack(String appid, String openid, WindowPlace place) {
        if (place.verdict() != WindowPlace.Verdict.TAKEN) {
            return;
        }
        try {
            store.returnWindowPlace(appid, openid, place.openedAt());
        } catch (RuntimeException e) {
            warn("written", e);
        }
    }

    /**
     * WeChat refused a message sent at {@code sentAt} for the window. Closed as of a second earlier: a push's
     * {@code CreateTime} has whole seconds, so a user who wrote in the same second as the refused call (after it)
     * must still open a new window, and a window opened in that second is not closed on a refusal that may predate
     * it (the next message tries custom/send, and WeChat's answer decides).
     */
    @Override
    public void closed(String appid, String openid, Instant sentAt) {
        try {
            store.closeWindow(appid, openid, sentAt.minusSeconds(1));
        } catch (RuntimeException e) {
            warn("written", e);
        }
    }

    /**
     * A user's push, as its fields ({@code MsgType}, {@code Event}, {@code FromUserName}, {@code CreateTime}): the
     * window it opens is recorded (at its {@code CreateTime}, see {@link #record(String, String, Interaction,
     * Instant)}); returns which interaction it was, empty for a push that opens none.
     *
     * @throws RuntimeException the store could not record it (the caller decides: the relay answers WeChat 503 so
     *                          that WeChat pushes it again)
     */
    public Optional<Interaction> record(String appid, Map<String, Object> push) {
        Optional<Interaction> interaction = Interaction.ofPush(PushXml.text(push, "MsgType"),
                PushXml.text(push, "Event"));
        String openid = PushXml.text(push, "FromUserName");
        if (interaction.isEmpty() || openid == null || openid.isEmpty()) {
            return Optional.empty();
        }
        Instant created = null;
        try {
            created = Instant.ofEpochSecond(Long.parseLong(PushXml.text(push, "CreateTime")));
        } catch (RuntimeException e) {
            // no CreateTime, or not a number: when it arrived
        }
        record(appid, openid, interaction.get(), created);
        return interaction;
    }

    /**
     * The time is the platform's (a push's {@code CreateTime}, a WeCom message's {@code send_time}), unless that is
     * missing or lies in the future by this clock (then now): a window must not be taken to last longer than it does.
     */
    @Override
    public void record(String account, String user, Interaction interaction, Instant at) {
        Instant now = clock.instant();
        store.recordInteraction(account, user, interaction, at == null || at.isAfter(now) ? now : at);
    }

    /** Users with an open window, per account; 0 when the store cannot say. */
    public int openWindows(String appid) {
        try {
            return store.openWindows(appid, clock.instant());
        } catch (RuntimeException e) {
            warn("read", e);
            return 0;
        }
    }

    private void warn(String how, RuntimeException e) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if ((last == Long.MIN_VALUE || now - last >= WARN_EVERY.toNanos()) && lastWarning.compareAndSet(last, now)) {
            LOG.warn("the window book in the {} could not be {} ({}): messages go to custom/send "
                    + "(kf/send_msg) and WeChat's answer decides", store.describe(), how, e.getMessage());
        }
    }
}
