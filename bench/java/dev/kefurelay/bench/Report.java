package dev.kefurelay.bench;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The run's results: one table row per system (rates against the JDK client of the same run, CPU per message against
 * tuned WxJava's), the targets as ratios, then each system's own lines.
 */
final class Report {

    static final Map<String, String> NAMES = Map.of(
            "jdk", "a bare java.net.http.HttpClient posting prepared bodies, tokens fetched before the first phase",
            "wxjava", "WxJava 4.7.0 WxMpKefuService.sendKefuMessage, its defaults (10 connections per host, 50 in "
                    + "all); "
                    + "its phases have bench.cold messages, not bench.n (it is capped near 190 msg/s)",
            "wxjava64", "WxJava 4.7.0 as above, its pool raised to 64 connections",
            "component", "wechat-kefu:send in a DefaultCamelContext (ProducerTemplate, 64 callers), its defaults",
            "component-async", "wechat-kefu:send?synchronous=false, as above: the call on the component's pool",
            "relay", "the packaged relay over JMS (launcher's jvm.options, embedded broker, producer outside)",
            BrokerOnlyRun.SYSTEM, "the relay's embedded broker alone (its settings, the relay's JVM options), fed as "
                    + "the relay is, its consumers receiving and committing as the relay's do and holding each "
                    + "message for the latency, sending nothing: the broker's share of the relay");

    private Report() {
    }

    static void print(RelayBenchmark.Settings s, List<SystemResult> results, List<String> starts) {
        Optional<SystemResult> jdk = find(results, "jdk");
        Optional<SystemResult> tuned = find(results, "wxjava64");
        System.out.printf("%n---- results: n=%d a phase (cold: %d), %d senders, WeChat answering in %d ms (bound %.0f "
                + "msg/s), %d accounts ----%n", s.n(), s.cold(), s.concurrency(), s.latency().toMillis(), s.bound(),
                s.accounts());
        System.out.println("| system | cold msg/s | ÷ JDK | settled msg/s | ÷ JDK | ÷ bound | CPU ms/msg cold | "
                + "CPU ms/msg settled | without compiler threads | × tuned WxJava | in the kernel "
                + "| context switches/msg "
                + "| JIT in the settled phase | phases | token fetches |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (SystemResult r : results) {
            Phase cold = r.cold();
            Phase settled = r.settled();
            System.out.printf("| %s | %.0f | %s | %.0f | %s | %.2f | %.3f | %.3f | %.3f | %s | %.3f | %.1f | %.0f%%%s "
                    + "| %d | %s |%n",
                    r.system(), cold.rate(), ratio(cold.rate(), jdk, x -> x.cold().rate()), settled.rate(),
                    ratio(settled.rate(), jdk, x -> x.settled().rate()), settled.rate() / s.bound(),
                    cold.cpuMsPerMessage(), settled.cpuMsPerMessage(), settled.cpuMsPerMessageWithoutJit(),
                    ratio(settled.cpuMsPerMessage(), tuned, x -> x.settled().cpuMsPerMessage()) + " / "
                            + ratio(settled.cpuMsPerMessageWithoutJit(), tuned,
                                    x -> x.settled().cpuMsPerMessageWithoutJit()),
                    settled.kernelMsPerMessage(), settled.switchesPerMessage(), 100 * settled.jitShare(),
                    settled.jitQuiet() ? "" : " (never under 5%)", r.phases().size(),
                    r.tokens());
        }
        for (SystemResult r : results) {
            System.out.printf("%s: %s%s%n", r.system(), NAMES.getOrDefault(r.system(), ""),
                    r.failures() > 0 ? "; " + r.failures() + " MESSAGES FAILED (see its log)" : "");
        }
        targets(results, tuned);
        starts.forEach(System.out::println);
        results.forEach(r -> r.notes().forEach(System.out::println));
    }

    /** The targets, as ratios of this run (settled phases unless named). */
    private static void targets(List<SystemResult> results, Optional<SystemResult> tuned) {
        Optional<SystemResult> component = find(results, "component");
        Optional<SystemResult> relay = find(results, "relay");
        if (tuned.isPresent() && component.isPresent()) {
            Phase w = tuned.get().settled();
            Phase c = component.get().settled();
            System.out.printf("component against tuned WxJava: CPU per message %.2f × (target ≤ 1.5), without the "
                    + "compiler threads %.2f ×; rate cold %.2f, settled %.2f (target ≥ 1.0)%n",
                    c.cpuMsPerMessage() / w.cpuMsPerMessage(),
                    c.cpuMsPerMessageWithoutJit() / w.cpuMsPerMessageWithoutJit(),
                    component.get().cold().rate() / tuned.get().cold().rate(), c.rate() / w.rate());
        }
        if (relay.isPresent() && component.isPresent()) {
            Phase r = relay.get().settled();
            double broker = r.groupMsPerMessage("Artemis");
            System.out.printf("relay against the component: CPU per message %.3f ms against %.3f (the component) + "
                    + "%.3f (the relay's Artemis threads) = %.3f (target: ≤)%n", r.cpuMsPerMessage(),
                    component.get().settled().cpuMsPerMessage(), broker,
                    component.get().settled().cpuMsPerMessage() + broker);
        }
        Optional<SystemResult> broker = find(results, BrokerOnlyRun.SYSTEM);
        if (relay.isPresent() && broker.isPresent()) {
            Phase r = relay.get().settled();
            Phase b = broker.get().settled();
            double own = r.cpuMsPerMessage() - b.cpuMsPerMessage();
            double ownWithoutJit = r.cpuMsPerMessageWithoutJit() - b.cpuMsPerMessageWithoutJit();
            System.out.printf("relay own = relay − broker-only: CPU per message %.3f − %.3f = %.3f ms (without the "
                    + "compiler threads %.3f); the relay's JMS consumer threads %.3f against broker-only's %.3f%n",
                    r.cpuMsPerMessage(), b.cpuMsPerMessage(), own, ownWithoutJit, r.groupMsPerMessage("JMS consumers"),
                    b.groupMsPerMessage("JMS consumers"));
            for (String peer : List.of("component", "component-async")) {
                find(results, peer).map(SystemResult::settled).ifPresent(c -> System.out.printf("relay own against "
                        + "%s: %.3f against %.3f ms (%.2f ×; target ≤ 1), without the compiler threads %.3f against "
                        + "%.3f (%.2f ×)%n", peer, own, c.cpuMsPerMessage(), own / c.cpuMsPerMessage(), ownWithoutJit,
                        c.cpuMsPerMessageWithoutJit(), ownWithoutJit / c.cpuMsPerMessageWithoutJit()));
            }
        }
        if (relay.isPresent() && tuned.isPresent()) {
            System.out.printf("relay against tuned WxJava: cold rate %.2f (target ≥ 0.9)%n",
                    relay.get().cold().rate() / tuned.get().cold().rate());
        }
    }

    private static String ratio(double value, Optional<SystemResult> reference, ToDoubleFunction<SystemResult> of) {
        return reference.map(r -> String.format("%.2f", value / of.applyAsDouble(r))).orElse("-");
    }

    private static Optional<SystemResult> find(List<SystemResult> results, String system) {
        return results.stream().filter(r -> r.system().equals(system)).findFirst();
    }
}
