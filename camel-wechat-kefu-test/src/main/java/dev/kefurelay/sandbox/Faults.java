package dev.kefurelay.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Scheduled failures of custom/send and the response delay. Failures queue up in the order they were asked for,
 * so failNext(-1, 2) then failNextHttp(500, 1) fails three calls: -1, -1, then HTTP 500.
 */
final class Faults {

    private static final class Batch {
        final ApiReply reply;
        int remaining;

        Batch(ApiReply reply, int remaining) {
            this.reply = reply;
            this.remaining = remaining;
        }
    }

    private final Deque<Batch> queue = new ArrayDeque<>();
    private volatile Duration latency = Duration.ZERO;

    void failNext(int errcode, int times) {
        if (errcode == 0) {
            throw new IllegalArgumentException("errcode 0 is success, not a failure");
        }
        enqueue(ApiReply.error(errcode), times);
    }

    /** The next {@code times} calls answer this (an API's own words for an errcode, e.g. WeCom's). */
    void failNext(ApiReply reply, int times) {
        enqueue(reply, times);
    }

    void failNextHttp(int status, int times) {
        if (status < 100 || status > 599 || status == 200) {
            throw new IllegalArgumentException("not a failing HTTP status: " + status);
        }
        enqueue(ApiReply.http(status), times);
    }

    /** The reply that replaces the next custom/send, or null when none is scheduled. */
    synchronized ApiReply nextSendFault() {
        Batch head = queue.peekFirst();
        if (head == null) {
            return null;
        }
        if (--head.remaining == 0) {
            queue.removeFirst();
        }
        return head.reply;
    }

    void latency(Duration latency) {
        if (latency == null || latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.latency = latency;
    }

    Duration latency() {
        return latency;
    }

    synchronized void reset() {
        queue.clear();
        latency = Duration.ZERO;
    }

    private synchronized void enqueue(ApiReply reply, int times) {
        if (times < 0) {
            throw new IllegalArgumentException("times must not be negative");
        }
        if (times > 0) {
            queue.addLast(new Batch(reply, times));
        }
    }
}
