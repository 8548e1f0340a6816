package dev.kefurelay.bench;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One configuration's run of {@link ScaleOutBenchmark}: relays, the timed phase, what it cost, and what the store
 * did; and the table of all runs side by side.
 */
record ScaleOutResult(int relays, List<Integer> consumers, int messages, long nanos, long relayCpuNanos,
        long brokerCpuNanos, long postgresCpuNanos, long relayJitMillis, long sends, double storeCalls,
        List<Long> deliveredPerRelay, long transactions, int messagesInLife, String tokenFetches) {

    double rate() {
        return messages * 1e9 / nanos;
    }

    double ms(long cpuNanos) {
        return cpuNanos / 1e6 / messages;
    }

    static void print(List<ScaleOutResult> results, int n, int concurrency, Duration latency, int accounts) {
        System.out.printf("---- scale-out (one run): %d messages with ids, %d JMS consumers in total, fake WeChat "
                + "%d ms, %d accounts, one broker, one PostgreSQL ----%n", n, concurrency, latency.toMillis(),
                accounts);
        row("relays", results, r -> String.valueOf(r.relays()));
        row("consumers per relay", results, r -> r.consumers().stream().map(String::valueOf)
                .reduce((x, y) -> x + "+" + y).orElse(""));
        row("aggregate msg/s", results, r -> String.format("%.1f", r.rate()));
        row("  / bound " + Math.round(concurrency * 1000.0 / Math.max(1, latency.toMillis())) + " msg/s", results,
                r -> String.format("%.2f", r.rate() / (concurrency * 1000.0 / Math.max(1, latency.toMillis()))));
        row("CPU ms/msg, relays (sum)", results, r -> String.format("%.2f", r.ms(r.relayCpuNanos())));
        row("CPU ms/msg, broker", results, r -> String.format("%.2f", r.ms(r.brokerCpuNanos())));
        row("CPU ms/msg, PostgreSQL", results, r -> String.format("%.2f", r.ms(r.postgresCpuNanos())));
        row("CPU ms/msg, all three", results,
                r -> String.format("%.2f", r.ms(r.relayCpuNanos() + r.brokerCpuNanos() + r.postgresCpuNanos())));
        row("JIT s in the phase (relays)", results, r -> String.format("%.1f", r.relayJitMillis() / 1e3));
        row("store calls/msg (metrics)", results, r -> String.format("%.2f", r.storeCalls() / r.messages()));
        row("transactions/msg (pg_stat)", results,
                r -> String.format("%.2f", (double) r.transactions() / r.messagesInLife()));
        row("sends seen by WeChat", results, r -> String.valueOf(r.sends()));
        row("delivered per relay", results, r -> r.deliveredPerRelay().stream().map(String::valueOf)
                .reduce((x, y) -> x + "+" + y).orElse(""));
        row("token fetches", results, ScaleOutResult::tokenFetches);
        System.out.println("(store calls: kefu_store_latency_seconds_count of the relays over the timed phase; "
                + "transactions: xact_commit + xact_rollback of the run's database over the relays' whole life, "
                + "migration, warm-up and token fetches included, per message of warm-up and phase)");
    }

    private static void row(String name, List<ScaleOutResult> results, Function<ScaleOutResult, String> cell) {
        StringBuilder line = new StringBuilder(String.format("%-30s", name));
        results.forEach(r -> line.append(String.format(" %18s", cell.apply(r))));
        System.out.println(line);
    }
}
