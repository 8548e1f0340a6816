package dev.kefurelay.receive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.store.TestPostgres;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.RelayProcess;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged relay killed (kill -9) while it puts a page of a kf account's messages on kefu.inbound, as an
 * operator's machine might lose it: its broker (kefu.mode=broker) and its PostgreSQL store outlive it. Started again,
 * the relay takes the open callback up once the dead one's lease ran out, pulls from the stored cursor and queues
 * the page again; the broker drops what it holds already. Nothing lost, nothing twice, the cursor kept.
 */
class WeComPullKillIT {

    static final int MESSAGES = 1000;
    static final String KF = WeComCallbackTest.KF.get(0);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aRelayKilledMidPageLosesNothingAndRepeatsNothingAfterItsRestart() throws Exception {
        Path jar = RelayProcess.copyPackage(dir.resolve("app"));
        String db = TestPostgres.newDatabase();
        List<RelayProcess> started = new ArrayList<>();
        try (WeChatSandbox sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET)) {
            SandboxWeCom wecom = sandbox.wecom().corp(WeComCallbackTest.CORPID, WeComCallbackTest.CORP_SECRET)
                    .kfAccount(WeComCallbackTest.CORPID, KF);
            Set<String> written = new HashSet<>();
            for (int i = 0; i < MESSAGES; i++) {
                written.add(wecom.customerWrites(KF, "wmKillCustomer" + (i % 20), "message " + i));
            }
            RelayProcess broker = RelayProcess.start(jar, dir.resolve("broker"), Map.of("kefu.mode", "broker",
                    "kefu.broker.port", "0", "kefu.broker.data-dir", dir.resolve("broker/data").toString()));
            started.add(broker);
            String brokerUrl = broker.awaitOutput("kefu broker started .*kefu.broker.url=(\\S+)", Duration.ofSeconds(60));
            int pushPort = TestRelays.freePort();
            Map<String, String> p = new HashMap<>(WeComCallbackTest.properties(dir.resolve("relay"), sandbox, pushPort));
            p.remove("kefu.wecom.welcome-text");
            p.put("kefu.broker.url", brokerUrl);
            p.put("kefu.store.url", TestPostgres.url(db));
            p.put("kefu.store.user", "postgres");
            p.put("kefu.wecom.pull-lease", "3s");

            List<String> received = new CopyOnWriteArrayList<>();
            try (JmsTestClient jms = new JmsTestClient(brokerUrl, "kefu.unused");
                    MessageConsumer inbound = jms.session().createConsumer(jms.session().createQueue("kefu.inbound"))) {
                inbound.setMessageListener(m -> {
                    try {
                        received.add(JSON.readTree(((TextMessage) m).getText()).get("msgid").asText());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                RelayProcess first = RelayProcess.start(jar, dir.resolve("relay"), p);
                started.add(first);
                first.awaitStarted();
                assertTrue(wecom.pushes("http://127.0.0.1:" + pushPort, WeComCallbackTest.CORPID,
                        WeComCallbackTest.PUSH_TOKEN, WeComCallbackTest.AES_KEY).kfMsgOrEvent(KF).success());
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(() -> received.size() >= 50);
                first.kill();
                int atKill = received.size();

                RelayProcess second = RelayProcess.start(jar, dir.resolve("relay"), p);
                started.add(second);
                second.awaitStarted();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> received.size() >= MESSAGES);
                // its pull ended: whatever it queued twice would be here by now
                second.awaitOutput("pulled \\d+ message\\(s\\) and event\\(s\\) of kf account " + KF,
                        Duration.ofSeconds(30));
                jms.drain("kefu.inbound");
                assertEquals(written, new HashSet<>(received), "nothing lost");
                assertEquals(MESSAGES, received.size(), "nothing twice");
                // the restarted relay said it took the open callback up
                assertTrue(second.output().contains("resuming the pull of kf account " + KF), second.output());
                System.out.printf("WeCom pull: relay killed -9 with %d of %d entries queued; after its restart %d "
                        + "queued once each%n", atKill, MESSAGES, received.size());
            }
        } finally {
            started.forEach(RelayProcess::close);
        }
    }
}
