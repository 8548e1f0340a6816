package dev.kefurelay.receive;

import static dev.kefurelay.receive.PushPlatform.AES_KEY;
import static dev.kefurelay.receive.PushPlatform.AUTHORIZERS;
import static dev.kefurelay.receive.PushPlatform.COMPONENT;
import static dev.kefurelay.receive.PushPlatform.PUSH_TOKEN;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.store.SecretStore;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.RelayFixture;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform's pushes end to end in mode component: tickets and authorization events, which the sandbox encrypts
 * and POSTs over real HTTP to the relay's push server; the relay stores them, acts on them (api_query_auth on the
 * kefu.authorizers consumer, an authorizer withdrawn) and publishes them, and sends through the sandbox. Users'
 * messages and the push port's guard: {@link PushTest}.
 */
class PlatformPushTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    @RegisterExtension
    final RelayFixture fixture = new RelayFixture();
    WeChatSandbox sandbox;
    KefuRelay relay;
    LogCapture logs;
    Pushes pushes;
    JmsTestClient jms;
    final Set<String> secrets = new LinkedHashSet<>();

    @BeforeEach
    void start() throws Exception {
        logs = fixture.logs();
        sandbox = PushPlatform.platform(fixture, secrets);
        int pushPort = TestRelays.freePort();
        relay = fixture.start(PushPlatform.properties(dir, sandbox, pushPort));
        pushes = sandbox.pushes("http://127.0.0.1:" + pushPort, PUSH_TOKEN, AES_KEY, COMPONENT);
        jms = fixture.jms("kefu.unused");
    }

    private Optional<String> stored(String key) {
        return SecretStore.peek(dir.resolve("store"), key);
    }

    private JsonNode send(String appid, String text) throws Exception {
        return JSON.readTree(relay.send("{\"appid\":\"" + appid + "\"," + Samples.text(text).substring(1)));
    }

    @Test
    void aTicketPushedBySandboxIsStoredAndUsedForTheNextComponentToken() throws Exception {
        String ticket = "ticket@@@pushed-" + System.nanoTime();
        secrets.add(ticket);
        Pushes.Result r = pushes.verifyTicket(ticket);
        assertTrue(r.success(), r.toString());
        assertTrue(stored("component-verify-ticket").orElseThrow().endsWith(" " + ticket), "ticket in the store");
        // the sandbox takes only the pushed ticket now: a delivery proves the component token was fetched with it
        assertEquals(0, send(AUTHORIZERS.get(0), "after the push").path("errcode").asInt());
        assertEquals(1, sandbox.tokenFetches(COMPONENT));
    }

    @Test
    void anAuthorizationPushedMakesTheNewAuthorizerUsableWithNoPropertySet() throws Exception {
        String fresh = "wxfreshauthorizer1";
        Pushes.Result r = keepCode(pushes.authorized(fresh));
        assertTrue(r.success(), r.toString());
        // api_query_auth runs on the kefu.authorizers consumer; the refresh token is stored before it is used
        await().atMost(Duration.ofSeconds(20)).until(() -> stored("authorizer-" + fresh + ".refresh-token").isPresent());
        secrets.add(stored("authorizer-" + fresh + ".refresh-token").orElseThrow());
        assertEquals(0, send(fresh, "welcome").path("errcode").asInt());
        assertTrue(sandbox.delivered().stream().anyMatch(d -> d.appid().equals(fresh)));
        secrets.add(sandbox.currentRefreshToken(fresh));
    }

    @Test
    void wechatsRetryOfAnAuthorizationIsDroppedAndARefusedCodeIsDeadLettered() throws Exception {
        String fresh = "wxretriedauthorizer";
        Pushes.Result first = keepCode(pushes.authorized(fresh));
        assertTrue(first.success());
        // the same event signed anew, as WeChat retries it: a second api_query_auth with the used code would fail
        assertTrue(pushes.push(first.path(), first.xml()).success());
        await().atMost(Duration.ofSeconds(20)).until(() -> stored("authorizer-" + fresh + ".refresh-token").isPresent());
        secrets.add(stored("authorizer-" + fresh + ".refresh-token").orElseThrow());
        assertEquals(0, send(fresh, "hello").path("errcode").asInt());
        secrets.add(sandbox.currentRefreshToken(fresh));
        assertEquals(0, jms.drain("kefu.outbound.dlq").size(), "the retry never reached api_query_auth");

        try (JmsTestClient authorizers = new JmsTestClient(relay.broker().url(), "kefu.authorizers")) {
            authorizers.sendText("{\"authorizer_appid\":\"wxbogusauthorizer\",\"authorization_code\":\"queryauthcode@@@bogus\"}");
        }
        Message dead = jms.deadLetter();
        assertEquals("wechat-error", dead.getStringProperty("KefuReason"));
        assertEquals(61009, dead.getIntProperty("KefuErrcode"));
        assertFalse(dead.getStringProperty("KefuErrmsg").contains("bogus"));
    }

    @Test
    void unauthorizedStopsThatAuthorizerOnly() throws Exception {
        String gone = AUTHORIZERS.get(0);
        assertEquals(0, send(gone, "before").path("errcode").asInt());
        assertTrue(pushes.unauthorized(gone).success());
        await().atMost(Duration.ofSeconds(20)).until(() -> stored("authorizer-" + gone + ".authorization")
                .map(s -> s.startsWith("withdrawn")).orElse(false));
        int calls = sandbox.sendCalls();
        JsonNode refused = send(gone, "after");
        assertEquals("unauthorized", refused.path("reason").asText(), refused.toString());
        assertTrue(refused.path("errmsg").asText().contains("withdrew its authorization"), refused.toString());
        assertEquals(calls, sandbox.sendCalls(), "nothing sent to WeChat for it");
        assertEquals(0, send(AUTHORIZERS.get(1), "still here").path("errcode").asInt());
        // authorizing again lifts it
        assertTrue(keepCode(pushes.authorized(gone)).success());
        await().atMost(Duration.ofSeconds(20)).until(() -> send(gone, "back").path("errcode").asInt() == 0);
        secrets.add(sandbox.currentRefreshToken(gone));
    }

    /**
     * Two relays may handle WeChat's pushes in either order: the stored ticket is the one WeChat made last (its
     * CreateTime), not the one handled last.
     */
    @Test
    void anOlderTicketPushHandledLastDoesNotReplaceTheNewerOne() throws Exception {
        String newer = "ticket@@@newer-" + System.nanoTime();
        String older = "ticket@@@older-" + System.nanoTime();
        secrets.addAll(List.of(newer, older));
        long now = System.currentTimeMillis() / 1000;
        assertTrue(pushes.push(Pushes.COMPONENT_PATH, ticketXml(newer, now)).success());
        assertEquals((now * 1000) + " " + newer, stored("component-verify-ticket").orElseThrow(),
                "stored with WeChat's CreateTime");
        // made ten minutes earlier, handled after it (a retry, or another relay that was slower)
        assertTrue(pushes.push(Pushes.COMPONENT_PATH, ticketXml(older, now - 600)).success(),
                "answered success: WeChat must not retry it");
        assertEquals((now * 1000) + " " + newer, stored("component-verify-ticket").orElseThrow());
        assertTrue(logs.text().contains("older than the stored one: kept the stored one"), "a log line says why");

        String newest = "ticket@@@newest-" + System.nanoTime();
        secrets.add(newest);
        assertTrue(pushes.push(Pushes.COMPONENT_PATH, ticketXml(newest, now + 600)).success());
        assertTrue(stored("component-verify-ticket").orElseThrow().endsWith(" " + newest));
    }

    @Test
    void everyPlatformEventIsPublishedWithoutItsSecrets() throws Exception {
        MessageConsumer events = jms.session().createConsumer(jms.session().createTopic("kefu.component.events"));
        String ticket = "ticket@@@published-" + System.nanoTime();
        secrets.add(ticket);
        assertTrue(pushes.verifyTicket(ticket).success());
        TextMessage m = (TextMessage) events.receive(10_000);
        JsonNode json = JSON.readTree(m.getText());
        assertEquals("component_verify_ticket", json.path("info_type").asText());
        assertFalse(m.getText().contains(ticket));
        events.close();
    }

    /** The one-time code inside a pushed authorization: a secret the log must not hold. */
    private Pushes.Result keepCode(Pushes.Result r) {
        Matcher m = Pattern.compile("<AuthorizationCode><!\\[CDATA\\[([^\\]]+)")
                .matcher(r.xml());
        assertTrue(m.find(), "an authorization push carries a code");
        secrets.add(m.group(1));
        return r;
    }

    private static String ticketXml(String ticket, long createTime) {
        return "<xml><AppId><![CDATA[" + COMPONENT + "]]></AppId><CreateTime>" + createTime + "</CreateTime><InfoType>"
                + "<![CDATA[component_verify_ticket]]></InfoType><ComponentVerifyTicket><![CDATA[" + ticket
                + "]]></ComponentVerifyTicket></xml>";
    }
}
