package dev.kefurelay.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.RelayProcess;

/**
 * What {@link ScaleOutIT}'s relays share: the packaged relay copied once, one sandbox WeChat with the accounts, the
 * component and its authorizers, one broker in a JVM of its own (the relay jar in kefu.mode=broker) and the embedded
 * PostgreSQL. Every process started here ends with {@link #close()}.
 */
final class ScaleOutCluster implements AutoCloseable {

    static final String USER = "oUser";
    static final List<String> ACCOUNTS = List.of("wxscaleA00000001", "wxscaleB00000001");
    static final String COMPONENT = "wxscalecomponent1";
    static final List<String> AUTHORIZERS = List.of("wxscaleauth000001", "wxscaleauth000002", "wxscaleauth000003");

    final Path dir;
    Path jar;
    WeChatSandbox sandbox;
    RelayProcess broker;
    String brokerUrl;
    /** Every process started: whatever a test left running (a failed start, say) ends with the cluster. */
    private final List<RelayProcess> started = new CopyOnWriteArrayList<>();

    ScaleOutCluster(Path dir) {
        this.dir = dir;
    }

    /** Starts the parts; what started before a failure still ends with {@link #close()}. */
    void start() throws Exception {
        jar = RelayProcess.copyPackage(dir.resolve("app"));
        TestPostgres.server();
        sandbox = WeChatSandbox.start(0);
        ACCOUNTS.forEach(a -> sandbox.account(a, a + "-secret"));
        sandbox.component(COMPONENT, "component-secret");
        sandbox.verifyTicket("scale-ticket");
        AUTHORIZERS.forEach(a -> sandbox.authorizer(a, a + "-refresh-0"));
        broker = startRelay(dir.resolve("broker"), Map.of("kefu.mode", "broker", "kefu.broker.port", "0",
                "kefu.broker.data-dir", dir.resolve("broker/data").toString()));
        brokerUrl = broker.awaitOutput("kefu broker started .*kefu.broker.url=(\\S+)", Duration.ofSeconds(60));
    }

    /** The packaged relay started in {@code folder} with these settings, ended with the cluster at the latest. */
    RelayProcess startRelay(Path folder, Map<String, String> settings) {
        return started(RelayProcess.start(jar, folder, settings));
    }

    private RelayProcess started(RelayProcess process) {
        started.add(process);
        return process;
    }

    @Override
    public void close() throws Exception {
        try {
            if (broker != null) {
                broker.terminate(Duration.ofSeconds(30));
            }
        } finally {
            started.forEach(RelayProcess::close);
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    /** The relays' logs, kept in target/scale-out/ for a look after the run (the temp folder goes). */
    static void keepLogs(String name, List<RelayProcess> relays) throws IOException {
        Path to = RelayProcess.JAR.resolveSibling("scale-out");
        Files.createDirectories(to);
        for (int i = 0; i < relays.size(); i++) {
            Files.writeString(to.resolve(name + "-relay-" + i + ".log"), relays.get(i).output());
        }
    }

    /** A counter summed over every label set and over the relays. */
    static double sum(List<RelayProcess> relays, String metric) {
        Pattern line = Pattern.compile("^" + Pattern.quote(metric) + "(\\{.*\\})? (\\S+)$", Pattern.MULTILINE);
        double total = 0;
        for (RelayProcess r : relays) {
            Matcher m = line.matcher(Http.get(r.awaitStarted() + "/observe/metrics").body());
            while (m.find()) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
