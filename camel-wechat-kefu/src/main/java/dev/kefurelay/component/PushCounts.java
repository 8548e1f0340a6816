package dev.kefurelay.component;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A push consumer's requests by result ({@code success}, {@code verified}, {@code bad_signature}, …): its check's. */
final class PushCounts implements PushHttp.Results {

    private final Map<String, LongAdder> results = new ConcurrentHashMap<>();

    @Override
    public void count(String endpoint, String result) {
        results.computeIfAbsent(result, r -> new LongAdder()).increment();
    }

    /** Result to count, sorted by result. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        results.forEach((result, n) -> out.put(result, n.sum()));
        return out;
    }
}
