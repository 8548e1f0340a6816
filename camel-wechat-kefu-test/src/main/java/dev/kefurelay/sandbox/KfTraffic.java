package dev.kefurelay.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What clients did to the sandbox's WeCom side, for tests to assert on. */
final class KfTraffic {

    private final List<KfDelivery> delivered = new ArrayList<>();
    private final Map<String, AtomicInteger> tokenFetches = new ConcurrentHashMap<>();
    private final AtomicInteger sendCalls = new AtomicInteger();
    private final AtomicInteger syncCalls = new AtomicInteger();
    private final AtomicInteger stateCalls = new AtomicInteger();

    void tokenFetch(String corpid) {
        tokenFetches.computeIfAbsent(corpid == null ? "" : corpid, k -> new AtomicInteger()).incrementAndGet();
    }

    int tokenFetches(String corpid) {
        AtomicInteger n = tokenFetches.get(corpid == null ? "" : corpid);
        return n == null ? 0 : n.get();
    }

    void sendCall() {
        sendCalls.incrementAndGet();
    }

    int sendCalls() {
        return sendCalls.get();
    }

    void syncCall() {
        syncCalls.incrementAndGet();
    }

    int syncCalls() {
        return syncCalls.get();
    }

    void stateCall() {
        stateCalls.incrementAndGet();
    }

    int stateCalls() {
        return stateCalls.get();
    }

    synchronized void delivered(KfDelivery delivery) {
        delivered.add(delivery);
    }

    synchronized List<KfDelivery> delivered() {
        return List.copyOf(delivered);
    }

    synchronized void reset() {
        delivered.clear();
        tokenFetches.clear();
        sendCalls.set(0);
        syncCalls.set(0);
        stateCalls.set(0);
    }
}
