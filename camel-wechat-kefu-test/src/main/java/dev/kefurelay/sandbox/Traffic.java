package dev.kefurelay.sandbox;

import dev.kefurelay.wechat.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What clients did to the sandbox, for tests to assert on. */
final class Traffic {

    private final List<WeChatSandbox.Delivered> delivered = new ArrayList<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<String> typing = new ArrayList<>();
    private final List<WeChatSandbox.Upload> uploads = new ArrayList<>();
    private final AtomicInteger uploadFailures = new AtomicInteger();
    private final AtomicInteger sendCalls = new AtomicInteger();
    private final AtomicInteger sendsInFlight = new AtomicInteger();
    private final AtomicInteger maxSendsInFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> tokenFetches = new ConcurrentHashMap<>();

    void tokenFetch(String appid) {
        // A call that named no appid still happened; it is counted under "".
        tokenFetches.computeIfAbsent(appid == null ? "" : appid, k -> new AtomicInteger()).incrementAndGet();
    }

    int tokenFetches(String appid) {
        AtomicInteger count = tokenFetches.get(appid == null ? "" : appid);
        return count == null ? 0 : count.get();
    }

    void sendCall() {
        sendCalls.incrementAndGet();
    }

    /** A custom/send request arrived (its reply not written yet, the latency still to come). */
    void sendStarted() {
        maxSendsInFlight.accumulateAndGet(sendsInFlight.incrementAndGet(), Math::max);
    }

    void sendEnded() {
        sendsInFlight.decrementAndGet();
    }

    int maxSendsInFlight() {
        return maxSendsInFlight.get();
    }

    int sendCalls() {
        return sendCalls.get();
    }

    synchronized void delivered(WeChatSandbox.Delivered message) {
        delivered.add(message);
        deliveries.add(new Delivery(message.appid(), message.touser(), Channel.CUSTOM, message.msgtype(), null,
                null, message.body()));
    }

    /** A template or subscribe message accepted (custom/send's are added by {@link #delivered}). */
    synchronized void reached(Delivery delivery) {
        deliveries.add(delivery);
    }

    synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    synchronized List<WeChatSandbox.Delivered> delivered() {
        return List.copyOf(delivered);
    }

    synchronized int deliveredCount() {
        return delivered.size();
    }

    synchronized void typing(String touser, String command) {
        typing.add(touser + ":" + command);
    }

    synchronized List<String> typing() {
        return List.copyOf(typing);
    }

    synchronized void uploaded(WeChatSandbox.Upload upload) {
        uploads.add(upload);
    }

    synchronized List<WeChatSandbox.Upload> uploads() {
        return List.copyOf(uploads);
    }

    void uploadFailed() {
        uploadFailures.incrementAndGet();
    }

    int uploadFailures() {
        return uploadFailures.get();
    }

    synchronized void reset() {
        uploads.clear();
        uploadFailures.set(0);
        delivered.clear();
        deliveries.clear();
        typing.clear();
        sendCalls.set(0);
        maxSendsInFlight.set(sendsInFlight.get());
        tokenFetches.clear();
    }
}
