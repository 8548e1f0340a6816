package dev.kefurelay.window;

import java.time.Instant;

/**
 * The window book as the send flows and WeCom's pulls use it, per account and user: an Official Account's appid and
 * openid, or a WeCom kf account's open_kfid and the customer's external_userid. The component's {@code WindowBook}
 * keeps it in the store; a book that cannot be read counts as knowing nothing ({@link WindowPlace#UNKNOWN}), since
 * WeChat and WeCom enforce the window anyway.
 */
public interface WindowKeeper {

    /** Whether a window the book knows closed skips the call ({@code windowPreempt}). */
    boolean preempt();

    /** The book's clock: when a call is made, for {@link #closed}. */
    Instant now();

    /** One place for a message in the user's window, in one step no other message or relay can split. */
    WindowPlace take(String account, String user);

    /** A message that was not delivered gives its place back (nothing happens for a place not taken). */
    void giveBack(String account, String user, WindowPlace place);

    /** The API refused a message sent at {@code sentAt} for the window: closed until the user's next interaction. */
    void closed(String account, String user, Instant sentAt);

    /**
     * The user did something that opens a window, at {@code at} (the platform's time; null or in the future by the
     * book's clock: now).
     *
     * @throws RuntimeException the store could not record it (the caller decides: WeChat's push is answered 503, a
     *                          WeCom pull stops and is tried again)
     */
    void record(String account, String user, Interaction interaction, Instant at);
}
