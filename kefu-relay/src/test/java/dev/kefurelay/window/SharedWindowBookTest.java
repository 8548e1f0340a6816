package dev.kefurelay.window;

import dev.kefurelay.wechat.Channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.sandbox.Delivery;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.store.TestPostgres;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three relays on one PostgreSQL share the window book: a user who wrote (pushed to one of them) gets five
 * customer-service messages from the three together, not five from each, however the messages are spread and
 * however they race; the rest go as templates. After every relay restarts, the book is still there.
 */
class SharedWindowBookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPID = TestRelays.APPID;
    private static final String PUSH_TOKEN = "sharedWindowToken";
    private static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    @TempDir
    Path dir;

    private WeChatSandbox sandbox;
    private final List<KefuRelay> relays = new ArrayList<>();
    private String db;
    private final Map<Integer, Integer> pushPorts = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        sandbox = WeChatSandbox.start(0).account(APPID, TestRelays.SECRET).enforceWindow(true);
        sandbox.templates().template(APPID, "TPL-1", "order");
        db = TestPostgres.newDatabase();
        for (int i = 0; i < 3; i++) {
            pushPorts.put(i, TestRelays.freePort());
        }
        startRelays();
    }

    private void startRelays() throws Exception {
        for (int i = 0; i < 3; i++) {
            Map<String, String> p = new LinkedHashMap<>(TestRelays.properties(dir.resolve("relay" + i), sandbox,
                    Map.of("kefu.store.url", TestPostgres.url(db), "kefu.store.user", "postgres")));
            p.put("kefu.push.port", String.valueOf(pushPorts.get(i)));
            p.put("kefu.push.token", PUSH_TOKEN);
            p.put("kefu.push.aes-key", AES_KEY);
            relays.add(KefuRelay.start(p));
        }
    }

    private void stopRelays() {
        relays.forEach(KefuRelay::close);
        relays.clear();
    }

    @AfterEach
    void stop() {
        stopRelays();
        sandbox.close();
    }

    private static String notice(String openid, String id) {
        return "{\"id\":\"" + id + "\",\"touser\":\"" + openid + "\",\"msgtype\":\"text\",\"text\":{\"content\":\""
                + id + "\"},\"fallback\":{\"msgtype\":\"template\",\"template\":{\"template_id\":\"TPL-1\","
                + "\"data\":{\"order\":{\"value\":\"" + id + "\"}}}}}";
    }

    @Test
    void threeRelaysSendFiveCustomerServiceMessagesInAllAndTheBookSurvivesTheirRestart() throws Exception {
        assertTrue(sandbox.pushTo("http://127.0.0.1:" + pushPorts.get(1), PUSH_TOKEN, AES_KEY, APPID)
                .userText(APPID, "oShared", "any news?").success());

        // nine messages at once, three on each relay
        ExecutorService senders = Executors.newFixedThreadPool(9);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 9; i++) {
                KefuRelay relay = relays.get(i % 3);
                String id = "N-" + i;
                outcomes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return relay.send(notice("oShared", id));
                }, senders));
            }
            go.countDown();
            List<String> channels = new ArrayList<>();
            for (CompletableFuture<String> outcome : outcomes) {
                channels.add(JSON.readTree(outcome.get(60, TimeUnit.SECONDS)).path("channel").asText());
            }
            assertEquals(5, channels.stream().filter("custom"::equals).count(), channels.toString());
            assertEquals(4, channels.stream().filter("template"::equals).count(), channels.toString());
        } finally {
            senders.shutdownNow();
        }
        assertEquals(5, sandbox.sendCalls(), "exactly five calls to custom/send from the three relays");

        stopRelays();
        startRelays();
        String after = relays.get(2).send(notice("oShared", "N-after-restart"));
        assertEquals("template", JSON.readTree(after).path("channel").asText(), after);
        assertEquals(5, sandbox.sendCalls(), "the book survived the restart: no sixth custom/send");
        assertEquals(10, sandbox.deliveriesTo(APPID, "oShared").stream()
                .filter(d -> d.channel() == Channel.CUSTOM || d.channel() == Channel.TEMPLATE)
                .count());
    }
}
