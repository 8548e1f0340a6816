package dev.kefurelay.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * What one system did in its own JVM: its phases, the first cold and the last the settled one (settled if the JIT
 * was quiet in it), the token fetches the fake WeChat counted while it ran, and lines of its own for the report.
 */
record SystemResult(String system, List<Phase> phases, Map<String, Integer> tokenFetches, List<String> notes) {

    static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
        Map<String, Integer> copy = new TreeMap<>();
        counts.forEach((appid, n) -> copy.put(appid, n.get()));
        return copy;
    }

    Phase cold() {
        return phases.get(0);
    }

    Phase settled() {
        return phases.get(phases.size() - 1);
    }

    long failures() {
        return phases.stream().mapToLong(Phase::failures).sum();
    }

    /** "1 / 1": the fetches of each account, in the appids' order; "0" when none was fetched. */
    String tokens() {
        return tokenFetches.isEmpty() ? "0"
                : tokenFetches.values().stream().map(String::valueOf).collect(Collectors.joining(" / "));
    }
}
