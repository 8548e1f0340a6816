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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.sandbox.WeComPushes;
import dev.kefurelay.store.TestPostgres;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relays as one service on WeCom's callbacks: one PostgreSQL store, one broker (the first relay's, the second
 * connects to it), each with its own /wecom/kf. 1,000 customer messages on three kf accounts; every callback goes
 * to both relays, twice, at the same moment: each message is on kefu.inbound once.
 */
class WeComClusterTest {

    static final String CORPID = WeComCallbackTest.CORPID;
    static final List<String> KF = WeComCallbackTest.KF;
    static final int MESSAGES = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    WeChatSandbox sandbox;
    SandboxWeCom wecom;
    final List<KefuRelay> relays = new ArrayList<>();
    final List<WeComPushes> callbacks = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sandbox = WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET);
        wecom = sandbox.wecom().corp(CORPID, WeComCallbackTest.CORP_SECRET);
        KF.forEach(kf -> wecom.kfAccount(CORPID, kf));
        String db = TestPostgres.newDatabase();
        for (int i = 0; i < 2; i++) {
            int pushPort = TestRelays.freePort();
            Map<String, String> p = new HashMap<>(WeComCallbackTest.properties(dir.resolve("relay-" + i), sandbox,
                    pushPort));
            p.put("kefu.store.url", TestPostgres.url(db));
            p.put("kefu.store.user", "postgres");
            p.put("kefu.wecom.pull-lease", "5s");
            p.remove("kefu.wecom.welcome-text");
            if (i > 0) {
                p.put("kefu.broker.url", relays.get(0).broker().url());
            }
            relays.add(KefuRelay.start(p));
            callbacks.add(wecom.pushes("http://127.0.0.1:" + pushPort, CORPID, WeComCallbackTest.PUSH_TOKEN,
                    WeComCallbackTest.AES_KEY));
        }
    }

    @AfterEach
    void stop() {
        for (int i = relays.size() - 1; i >= 0; i--) {
            relays.get(i).close();
        }
        sandbox.close();
    }

    @Test
    void callbacksTwiceToTwoRelaysPutEachMessageOnKefuInboundOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<String> written = new HashSet<>();
        List<Future<WeComPushes.Result>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < MESSAGES; i++) {
                String kf = KF.get(i % KF.size());
                written.add(wecom.customerWrites(kf, "wmClusterCustomer" + (i % 50), "message " + i));
                if (i % 100 == 99) {
                    // every callback to both relays, twice, at once, while the customers write on
                    for (WeComPushes relay : callbacks) {
                        for (String each : KF) {
                            sent.add(pool.submit(() -> relay.kfMsgOrEvent(each)));
                            sent.add(pool.submit(() -> relay.kfMsgOrEvent(each)));
                        }
                    }
                }
            }
            for (Future<WeComPushes.Result> f : sent) {
                assertTrue(f.get().success(), "answered at once with success");
            }
        } finally {
            pool.shutdownNow();
        }

        try (JmsTestClient jms = new JmsTestClient(relays.get(0).broker().url(), "kefu.unused")) {
            List<String> received = new ArrayList<>();
            try (MessageConsumer c = jms.session().createConsumer(jms.session().createQueue("kefu.inbound"))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (received.size() < MESSAGES && System.nanoTime() < deadline) {
                    Message m = c.receive(1000);
                    if (m != null) {
                        received.add(JSON.readTree(((TextMessage) m).getText()).get("msgid").asText());
                    }
                }
            }
            assertEquals(MESSAGES, received.size());
            assertEquals(written, new HashSet<>(received));
            assertEquals(List.of(), jms.drain("kefu.inbound"), "nothing twice");
        }
    }
}
