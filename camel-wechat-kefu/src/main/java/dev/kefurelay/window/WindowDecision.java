package dev.kefurelay.window;

/**
 * Which way a customer-service message goes, from what the window book knows of its user. Plain rules:
 * <ul>
 * <li>a place was taken in an open window, or the book knows nothing of the user (their pushes may go to another
 * system): custom/send, and learn from its answer;</li>
 * <li>the book knows the window closed or used up: with {@code preempt} (the default) custom/send is not called,
 * since WeChat would refuse it; the message goes by its fallback, or fails as window-closed. Without {@code preempt}
 * custom/send is tried anyway (the book may be behind: the user's pushes go elsewhere too);</li>
 * <li>custom/send answered 45015 or 45047: the fallback, or window-closed.</li>
 * </ul>
 * The fallback is sent only when the window is closed or used up, never beside a customer-service message.
 */
public final class WindowDecision {

    public enum Route {
        /** custom/send */
        CUSTOM,
        /** the message's fallback (template or subscribe message) */
        FALLBACK,
        /** fails as window-closed, with no call */
        WINDOW_CLOSED
    }

    private WindowDecision() {
    }

    /** Before any call: what the book answered, whether to trust a closed window, whether there is a fallback. */
    public static Route before(WindowPlace.Verdict book, boolean preempt, boolean hasFallback) {
        if (book != WindowPlace.Verdict.CLOSED || !preempt) {
            return Route.CUSTOM;
        }
        return whenClosed(hasFallback);
    }

    /** custom/send answered that the window is closed or used up (45015, 45047). */
    public static Route afterRefusal(boolean hasFallback) {
        return whenClosed(hasFallback);
    }

    private static Route whenClosed(boolean hasFallback) {
        return hasFallback ? Route.FALLBACK : Route.WINDOW_CLOSED;
    }
}
