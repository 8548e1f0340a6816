package dev.kefurelay.receive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.sandbox.WeComPushes;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.RelayFixture;
import dev.kefurelay.testkit.TestRelays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several WeCom corps in one relay, end to end over real HTTP: the default corp (kefu.wecom.*) calls back on
 * /wecom/kf, a further one (kefu.wecom.corps.&lt;corpid&gt;.*) on /wecom/kf/&lt;corpid&gt; with its own Token and
 * EncodingAESKey, and each corp's kf accounts are pulled and sent to with that corp's token. Readiness names a corp
 * whose secret WeCom refuses; the metrics count each corp's messages under its corp id, channel wecom; a token WeCom
 * rejects during a pull is dropped and the pull goes on with a new one.
 */
class WeComCorpsTest {

    static final String CORP_A = WeComCallbackTest.CORPID;
    static final String KF_A = WeComCallbackTest.KF.get(0);
    static final String CORP_B = "wwcorpstestb00001";
    static final String SECRET_B = "wecom-corp-b-secret-value";
    static final String TOKEN_B = "wecom-push-token-b";
    static final String AES_B = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut";
    static final String KF_B = "wkCorpsTestB000001";
    /** A corp whose secret, as the relay has it, WeCom refuses. */
    static final String CORP_C = "wwcorpstestc00001";
    static final String SECRET_C_AT_WECOM = "wecom-corp-c-secret-at-wecom";
    static final String SECRET_C_AT_RELAY = "wecom-corp-c-secret-mistyped";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    @RegisterExtension
    final RelayFixture fixture = new RelayFixture().secrets(WeComCallbackTest.CORP_SECRET,
            WeComCallbackTest.PUSH_TOKEN, WeComCallbackTest.AES_KEY, SECRET_B, TOKEN_B, AES_B, SECRET_C_AT_RELAY,
            SECRET_C_AT_WECOM);
    WeChatSandbox sandbox;
    SandboxWeCom wecom;
    KefuRelay relay;
    JmsTestClient jms;
    String root;

    @BeforeEach
    void start() throws Exception {
        sandbox = fixture.sandbox(WeChatSandbox.start(0).account(TestRelays.APPID, TestRelays.SECRET));
        wecom = sandbox.wecom().corp(CORP_A, WeComCallbackTest.CORP_SECRET).kfAccount(CORP_A, KF_A)
                .corp(CORP_B, SECRET_B).kfAccount(CORP_B, KF_B).corp(CORP_C, SECRET_C_AT_WECOM);
        int pushPort = TestRelays.freePort();
        root = "http://127.0.0.1:" + pushPort;
        Map<String, String> p = new LinkedHashMap<>(WeComCallbackTest.properties(dir, sandbox, pushPort));
        p.put("kefu.wecom.corps." + CORP_B + ".secret", SECRET_B);
        p.put("kefu.wecom.corps." + CORP_B + ".push-token", TOKEN_B);
        p.put("kefu.wecom.corps." + CORP_B + ".push-aes-key", AES_B);
        p.put("kefu.wecom.corps." + CORP_C + ".secret", SECRET_C_AT_RELAY);
        relay = fixture.start(p);
        jms = fixture.jms("kefu.unused");
        // as each corp's admin entered the callback URL at WeCom
        wecom.pushTo(root, CORP_A, WeComCallbackTest.PUSH_TOKEN, WeComCallbackTest.AES_KEY);
        wecom.pushTo(root + "/wecom/kf/" + CORP_B, CORP_B, TOKEN_B, AES_B);
    }

    @Test
    void eachCorpCallsBackOnItsOwnPathWithItsOwnKeysAndSendsWithItsOwnToken() throws Exception {
        assertEquals("71530468", wecom.pushes(root + "/wecom/kf/" + CORP_B, CORP_B, TOKEN_B, AES_B)
                .verifyUrl("71530468").body(), "the further corp's URL verification, with its keys");
        assertEquals("71530469", wecom.pushes(root, CORP_A, WeComCallbackTest.PUSH_TOKEN, WeComCallbackTest.AES_KEY)
                .verifyUrl("71530469").body(), "the default corp's, on /wecom/kf");
        assertEquals(401, wecom.pushes(root, CORP_B, TOKEN_B, AES_B).kfMsgOrEvent(KF_B).status(),
                "/wecom/kf opens with the default corp's keys only");
        assertEquals(401, wecom.pushes(root + "/wecom/kf/" + CORP_B, CORP_A, WeComCallbackTest.PUSH_TOKEN,
                WeComCallbackTest.AES_KEY).kfMsgOrEvent(KF_A).status(), "a corp's path opens with its keys only");
        WeComPushes.Result nobody = wecom.pushes(root + "/wecom/kf/wwnobody000001", "wwnobody000001", TOKEN_B, AES_B)
                .kfMsgOrEvent(KF_B);
        assertEquals(404, nobody.status());
        assertEquals("no push endpoint for WeCom corp wwnobody000001", nobody.body());
        assertEquals(403, wecom.pushes(root + "/wecom/kf/wwnobody000001", "wwnobody000001", TOKEN_B, AES_B)
                .verifyUrl("71530470").status(), "a URL verification is refused as any other, telling nothing");

        String fromA = wecom.customerWrites(KF_A, "wmCustomerOfA", "to corp A");
        String fromB = wecom.customerWrites(KF_B, "wmCustomerOfB", "to corp B");
        Map<String, JsonNode> inbound = new LinkedHashMap<>();
        WeComCallbackTest.receive(jms, 2).forEach(m -> inbound.put(m.get("msgid").asText(), m));
        assertEquals(Set.of(fromA, fromB), inbound.keySet());
        assertEquals(CORP_A, inbound.get(fromA).get("corpid").asText());
        assertEquals(CORP_B, inbound.get(fromB).get("corpid").asText());
        assertEquals(KF_B, inbound.get(fromB).get("open_kfid").asText());

        // the default corp's message names none; the further corp's names it in corpid
        assertEquals(0, JSON.readTree(relay.send("{\"touser\":\"wmCustomerOfA\",\"open_kfid\":\"" + KF_A
                + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"A answers\"}}")).path("errcode").asInt(-1));
        assertEquals(0, JSON.readTree(relay.send("{\"corpid\":\"" + CORP_B + "\",\"touser\":\"wmCustomerOfB\","
                + "\"open_kfid\":\"" + KF_B + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"B answers\"}}"))
                .path("errcode").asInt(-1));
        assertEquals("B answers", wecom.sentTo(KF_B, "wmCustomerOfB").get(0).body().path("text").path("content")
                .asText());
        assertEquals(1, wecom.sentTo(KF_A, "wmCustomerOfA").size());
        String unknownCorp = relay.send("{\"corpid\":\"wwnobody000001\",\"touser\":\"wmCustomerOfB\",\"open_kfid\":\""
                + KF_B + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"?\"}}");
        assertTrue(unknownCorp.contains("kefu.wecom.corps.wwnobody000001.secret"), unknownCorp);

        // counted under each corp, channel wecom; no kf account and no corp the relay does not serve as a label
        String m = Http.get(relay.httpUrl() + KefuRelay.METRICS_PATH).body();
        for (String corp : List.of(CORP_A, CORP_B)) {
            assertEquals(1.0, Http.sample(m, "kefu_messages_delivered_total", Map.of("appid", corp, "channel",
                    "wecom")), m);
            assertEquals(1.0, Http.sample(m, "kefu_token_fetches_total", Map.of("appid", corp, "outcome",
                    "success")), m);
        }
        assertEquals(1.0, Http.sample(m, "kefu_messages_failed_total", Map.of("appid", "unconfigured", "reason",
                "invalid-input")), m);
        Set<String> appidLabels = new TreeSet<>(m.lines().filter(l -> l.startsWith("kefu_") && l.contains("appid=\""))
                .map(l -> l.replaceAll(".*appid=\"([^\"]*)\".*", "$1")).toList());
        assertEquals(new TreeSet<>(Set.of(CORP_A, CORP_B, CORP_C, TestRelays.APPID, "unconfigured")), appidLabels);
    }

    @Test
    void aCorpWhoseSecretWeComRefusesTurnsReadinessDownUntilWeComTakesIt() throws Exception {
        String ready = relay.httpUrl() + KefuRelay.HEALTH_PATH + "/ready";
        await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);

        String refused = relay.send("{\"corpid\":\"" + CORP_C + "\",\"touser\":\"wmCustomerOfC\",\"open_kfid\":"
                + "\"wkCorpsTestC000001\",\"msgtype\":\"text\",\"text\":{\"content\":\"?\"}}");
        assertTrue(refused.contains("40001"), refused);
        Http.Reply down = Http.get(ready);
        assertEquals(503, down.status(), down.body());
        assertTrue(down.body().contains("tokens") && down.body().contains(CORP_C), down.body());

        // WeCom's admin sets the app's secret to the one the relay has: the check asks again by itself
        wecom.corp(CORP_C, SECRET_C_AT_RELAY);
        await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);
        String m = Http.get(relay.httpUrl() + KefuRelay.METRICS_PATH).body();
        assertTrue(Http.sample(m, "kefu_token_fetches_total", Map.of("appid", CORP_C, "outcome", "failure")) >= 1, m);
        assertTrue(Http.sample(m, "kefu_token_fetches_total", Map.of("appid", CORP_C, "outcome", "success")) >= 1, m);
    }

    @Test
    void aTokenWeComRejectsDuringAPullIsDroppedAndThePullGoesOnWithANewOne() throws Exception {
        String first = wecom.customerWrites(KF_A, "wmCustomerT1", "before");
        assertEquals(first, WeComCallbackTest.receive(jms, 1).get(0).get("msgid").asText());
        assertEquals(1, wecom.tokenFetches(CORP_A));

        // the relay still holds the token for its own clock; WeCom's has run out (42001)
        sandbox.advance(Duration.ofHours(3));
        String second = wecom.customerWrites(KF_A, "wmCustomerT1", "after");

        assertEquals(second, WeComCallbackTest.receive(jms, 1).get(0).get("msgid").asText());
        assertEquals(2, wecom.tokenFetches(CORP_A), "one new token, fetched once");
        assertEquals(List.of(), jms.drain("kefu.inbound"));
    }
}
