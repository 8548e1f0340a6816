package dev.kefurelay.receive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.store.TestPostgres;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.RelayFixture;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A WeCom customer's window, end to end: the sandbox's WeCom enforces it (95001) and calls the relay back when the
 * customer writes; the relay pulls the message with kf/sync_msg, which opens the customer's window in its window
 * book (the local store's, or PostgreSQL's), and each message to the customer takes a place in it. The sixth is a
 * dead letter, window-closed on channel wecom, without a call to WeCom; 48 hours on, or for a customer the book
 * knew nothing of, WeCom's 95001 closes the window in the book.
 */
class WeComWindowEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KF = WeComCallbackTest.KF.get(0);

    @TempDir
    Path dir;
    @RegisterExtension
    final RelayFixture fixture = new RelayFixture().secrets(WeComCallbackTest.CORP_SECRET,
            WeComCallbackTest.PUSH_TOKEN, WeComCallbackTest.AES_KEY);

    private WeChatSandbox sandbox;
    private SandboxWeCom wecom;
    private KefuRelay relay;
    private JmsTestClient jms;

    @BeforeEach
    void sandbox() {
        sandbox = fixture.sandbox(WeChatSandbox.start(0));
        wecom = sandbox.wecom().corp(WeComCallbackTest.CORPID, WeComCallbackTest.CORP_SECRET)
                .kfAccount(WeComCallbackTest.CORPID, KF);
    }

    private void startRelay(Map<String, String> store) throws Exception {
        int pushPort = TestRelays.freePort();
        Map<String, String> p = new LinkedHashMap<>(WeComCallbackTest.properties(dir, sandbox, pushPort));
        p.putAll(store);
        relay = fixture.start(p);
        jms = fixture.jms("kefu.outbound");
        wecom.pushTo("http://127.0.0.1:" + pushPort, WeComCallbackTest.CORPID, WeComCallbackTest.PUSH_TOKEN,
                WeComCallbackTest.AES_KEY);
    }

    private static String message(String customer, String id) {
        return "{\"id\":\"" + id + "\",\"touser\":\"" + customer + "\",\"open_kfid\":\"" + KF + "\",\"msgtype\":"
                + "\"text\",\"text\":{\"content\":\"Order " + id + " has shipped\"}}";
    }

    private JsonNode send(String customer, String id) throws Exception {
        return JSON.readTree(relay.send(message(customer, id)));
    }

    /**
     * The customer writes; once the entry is on kefu.inbound the pull has recorded it (before it queued it).
     *
     * @return the message's send_time
     */
    private long writesAndIsPulled(String customer) throws Exception {
        wecom.customerWrites(KF, customer, "where is my parcel?");
        List<JsonNode> inbound = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (Message m : jms.drain("kefu.inbound")) {
                inbound.add(JSON.readTree(((TextMessage) m).getText()));
            }
            return !inbound.isEmpty();
        });
        assertEquals(customer, inbound.get(0).path("external_userid").asText());
        return inbound.get(0).path("send_time").asLong();
    }

    /** A refusal in the very second the window opened leaves it open (WindowBook.closed): send in a later one. */
    private static void aSecondAfter(long sendTime) {
        await().atMost(Duration.ofSeconds(3)).until(() -> Instant.now().getEpochSecond() > sendTime);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "postgresql"})
    void aCustomerWhoWroteGetsFiveMessagesAndTheSixthIsADeadLetterWithoutACall(String storeKind) throws Exception {
        startRelay(storeKind.equals("local") ? Map.of() : Map.of("kefu.store.url",
                TestPostgres.url(TestPostgres.newDatabase()), "kefu.store.user", "postgres"));
        writesAndIsPulled("wmWindow01");

        for (int i = 1; i <= 5; i++) {
            JsonNode outcome = send("wmWindow01", "K-" + i);
            assertEquals(0, outcome.path("errcode").asInt(-1), outcome.toString());
            assertEquals("wecom", outcome.path("channel").asText());
            assertEquals("K-" + i, outcome.path("msgid").asText());
        }
        jms.sendText(message("wmWindow01", "K-6"));

        Message letter = jms.deadLetter();
        assertEquals("window-closed", letter.getStringProperty("KefuReason"));
        assertEquals("wecom", letter.getStringProperty("KefuChannel"));
        assertNull(letter.getObjectProperty("KefuErrcode"), "the book knew it: WeCom was not asked");
        String errmsg = letter.getStringProperty("KefuErrmsg");
        assertTrue(errmsg.contains("WeCom 微信客服 has no fallback channel"), errmsg);
        assertEquals(5, wecom.sendCalls(), "no sixth call to kf/send_msg");
        assertEquals(5, wecom.sentTo(KF, "wmWindow01").size());

        String metrics = Http.get(relay.httpUrl() + KefuRelay.METRICS_PATH).body();
        assertEquals(5.0, Http.sample(metrics, "kefu_messages_delivered_total", Map.of("channel", "wecom")), metrics);
        assertEquals(1.0, Http.sample(metrics, "kefu_messages_failed_total", Map.of("reason", "window-closed",
                "errcode", "none", "channel", "wecom")), metrics);
        assertTrue(Double.isNaN(Http.sample(metrics, "kefu_fallbacks_total", Map.of("channel", "wecom"))),
                "WeCom has no fallback: " + metrics);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> fixture.logs().text().contains("channel=wecom reason=window-closed"));
    }

    @Test
    void fortyEightHoursLaterOnTheSandboxsClockWeComs95001ClosesTheWindow() throws Exception {
        startRelay(Map.of());
        long wrote = writesAndIsPulled("wmWindow02");
        assertEquals("wecom", send("wmWindow02", "L-1").path("channel").asText());
        aSecondAfter(wrote);

        sandbox.advance(Duration.ofHours(48));
        JsonNode late = send("wmWindow02", "L-2");
        int calls = wecom.sendCalls();
        JsonNode later = send("wmWindow02", "L-3");

        assertEquals("window-closed", late.path("reason").asText(), late.toString());
        assertEquals(95001, late.path("errcode").asInt());
        assertEquals("window-closed", later.path("reason").asText());
        assertTrue(later.path("errcode").isMissingNode(), later.toString());
        assertEquals(calls, wecom.sendCalls(), "the book knew after the 95001");
    }

    @Test
    void aCustomerTheBookKnewNothingOfIsTriedOnceThenNotUntilTheyWrite() throws Exception {
        startRelay(Map.of());
        JsonNode first = send("wmWindow03", "U-1");
        JsonNode second = send("wmWindow03", "U-2");

        assertEquals("window-closed", first.path("reason").asText(), first.toString());
        assertEquals(95001, first.path("errcode").asInt());
        assertEquals("wecom", first.path("channel").asText());
        assertEquals("window-closed", second.path("reason").asText());
        assertEquals(1, wecom.sendCalls());

        writesAndIsPulled("wmWindow03");
        assertEquals(0, send("wmWindow03", "U-3").path("errcode").asInt(-1));
        assertEquals(2, wecom.sendCalls());
    }
}
