package dev.kefurelay.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kefurelay.ops.BrokerProbe;

/**
 * The {@code broker-only} system: {@link BrokerOnlyPeer} in a JVM of its own, with the relay's JVM options (the
 * launcher's jvm.options, bench.relayArgs) and the relay's kefu.* settings, fed by the same producer with the same
 * messages in the same phases as the relay ({@link RelayRun#jms}). What it uses a message is the embedded broker's
 * own share of the relay's CPU: the relay's own code costs the relay's CPU less this.
 */
final class BrokerOnlyRun {

    static final String SYSTEM = "broker-only";

    private BrokerOnlyRun() {
    }

    static SystemResult run(RelayBenchmark.Settings s, FakeWeChat wechat, Path dir) throws Exception {
        List<String> appids = RelayBenchmark.appids(s.accounts());
        List<String> bodies = BenchTexts.relayBodies(Math.max(s.n(), s.cold()), appids);
        int brokerPort = ChildJvm.freePort();
        List<String> a = new ArrayList<>(s.relayJvm());
        a.addAll(RelayRun.accountSettings(appids));
        a.addAll(List.of("-Dkefu.jms.concurrency=" + s.concurrency(), "-Dkefu.broker.port=" + brokerPort,
                "-Dbench.latency=" + s.latency().toMillis() + "ms", "-Dlog4j2.configurationFile=log4j2.xml", "-cp",
                System.getProperty("java.class.path"), BrokerOnlyPeer.class.getName()));
        String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        Path work = Files.createDirectories(dir.resolve(SYSTEM));
        List<Phase> phases = new ArrayList<>();
        try (ChildJvm peer = ChildJvm.start(a, work, s.logs().resolve("bench-" + SYSTEM + ".log"));
                BrokerProbe depth = new BrokerProbe(brokerUrl, null, null)) {
            peer.awaitLine(BrokerOnlyPeer.READY, Duration.ofMinutes(2));
            peer.attach();
            RelayRun.Delivered consumed = committed -> Math.max(0,
                    committed.get() - depth.messageCount(RelayBenchmark.QUEUE));
            Phase last = RelayRun.jms(SYSTEM + " cold", peer, depth, brokerUrl, bodies.subList(0, s.cold()),
                    consumed);
            phases.add(last);
            System.out.println(last.line());
            for (int done = 1; Phase.another(done, last, s.minPhases(), s.maxPhases()); done++) {
                last = RelayRun.jms(SYSTEM + " " + (done + 1), peer, depth, brokerUrl, bodies.subList(0, s.n()),
                        consumed);
                phases.add(last);
                System.out.println(last.line());
            }
            String split = String.format("%s, settled phase, CPU ms/msg: whole process %.3f = Artemis threads %.3f "
                    + "+ JMS consumers %.3f + the rest %.3f", SYSTEM, last.cpuMsPerMessage(),
                    last.groupMsPerMessage("Artemis"), last.groupMsPerMessage("JMS consumers"),
                    last.cpuMsPerMessage() - last.groupMsPerMessage("Artemis")
                            - last.groupMsPerMessage("JMS consumers"));
            return new SystemResult(SYSTEM, phases, SystemResult.snapshot(wechat.tokenFetches()), List.of(split));
        }
    }
}
