package dev.kefurelay.receive;

import static dev.kefurelay.receive.PushPlatform.AUTHORIZERS;
import static dev.kefurelay.receive.PushPlatform.COMPONENT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.testkit.ComponentRelay;
import dev.kefurelay.testkit.JmsTestClient;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The platform's pushes end to end in mode component: tickets and authorization events, which the sandbox encrypts
 * and POSTs over real HTTP to the relay's push server; the relay stores them, acts on them (api_query_auth on the
 * kefu.authorizers consumer, an authorizer withdrawn) and publishes them, and sends through the sandbox. Users'
 * messages and the push port's guard: {@link PushTest}.
 */
class PlatformPushTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final ComponentRelay wechat = PushPlatform.relay();

    private JsonNode send(String appid, String text) throws Exception {
        return wechat.send("{\"appid\":\"" + appid + "\"," + Samples.text(text).substring(1));
    }

    @Test
    void aTicketPushedBySandboxIsStoredAndUsedForTheNextComponentToken() throws Exception {
        String ticket = "ticket@@@pushed-" + System.nanoTime();
        wechat.secrets().add(ticket);
        Pushes.Result r = wechat.pushes().verifyTicket(ticket);
        assertTrue(r.success(), r.toString());
        assertTrue(wechat.stored("component-verify-ticket").orElseThrow().endsWith(" " + ticket),
                "ticket in the store");
        // the sandbox takes only the pushed ticket now: a delivery proves the component token was fetched with it
        assertEquals(0, send(AUTHORIZERS.get(0), "after the push").path("errcode").asInt());
        assertEquals(1, wechat.sandbox().tokenFetches(COMPONENT));
    }

    @Test
    void anAuthorizationPushedMakesTheNewAuthorizerUsableWithNoPropertySet() throws Exception {
        String fresh = "wxfreshauthorizer1";
        Pushes.Result r = keepCode(wechat.pushes().authorized(fresh));
        assertTrue(r.success(), r.toString());
        // api_query_auth runs on the kefu.authorizers consumer; the refresh token is stored before it is used
        await().atMost(Duration.ofSeconds(20))
                .until(() -> wechat.stored("authorizer-" + fresh + ".refresh-token").isPresent());
        wechat.secrets().add(wechat.stored("authorizer-" + fresh + ".refresh-token").orElseThrow());
        assertEquals(0, send(fresh, "welcome").path("errcode").asInt());
        assertTrue(wechat.sandbox().delivered().stream().anyMatch(d -> d.appid().equals(fresh)));
        wechat.secrets().add(wechat.sandbox().currentRefreshToken(fresh));
    }

    @Test
    void wechatsRetryOfAnAuthorizationIsDroppedAndARefusedCodeIsDeadLettered() throws Exception {
        String fresh = "wxretriedauthorizer";
        Pushes.Result first = keepCode(wechat.pushes().authorized(fresh));
        assertTrue(first.success());
        // the same event signed anew, as WeChat retries it: a second api_query_auth with the used code would fail
        assertTrue(wechat.pushes().push(first.path(), first.xml()).success());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> wechat.stored("authorizer-" + fresh + ".refresh-token").isPresent());
        wechat.secrets().add(wechat.stored("authorizer-" + fresh + ".refresh-token").orElseThrow());
        assertEquals(0, send(fresh, "hello").path("errcode").asInt());
        wechat.secrets().add(wechat.sandbox().currentRefreshToken(fresh));
        assertEquals(0, wechat.jms().drain("kefu.outbound.dlq").size(), "the retry never reached api_query_auth");

        try (JmsTestClient authorizers = new JmsTestClient(wechat.relay().broker().url(), "kefu.authorizers")) {
            authorizers.sendText("{\"authorizer_appid\":\"wxbogusauthorizer\",\"authorization_code\":\"queryauthcode@@@bogus\"}");
        }
        Message dead = wechat.jms().deadLetter();
        assertEquals("wechat-error", dead.getStringProperty("KefuReason"));
        assertEquals(61009, dead.getIntProperty("KefuErrcode"));
        assertFalse(dead.getStringProperty("KefuErrmsg").contains("bogus"));
    }

    @Test
    void unauthorizedStopsThatAuthorizerOnly() throws Exception {
        String gone = AUTHORIZERS.get(0);
        assertEquals(0, send(gone, "before").path("errcode").asInt());
        assertTrue(wechat.pushes().unauthorized(gone).success());
        await().atMost(Duration.ofSeconds(20)).until(() -> wechat.stored("authorizer-" + gone + ".authorization")
                .map(s -> s.startsWith("withdrawn")).orElse(false));
        int calls = wechat.sandbox().sendCalls();
        JsonNode refused = send(gone, "after");
        assertEquals("unauthorized", refused.path("reason").asText(), refused.toString());
        assertTrue(refused.path("errmsg").asText().contains("withdrew its authorization"), refused.toString());
        assertEquals(calls, wechat.sandbox().sendCalls(), "nothing sent to WeChat for it");
        assertEquals(0, send(AUTHORIZERS.get(1), "still here").path("errcode").asInt());
        // authorizing again lifts it
        assertTrue(keepCode(wechat.pushes().authorized(gone)).success());
        await().atMost(Duration.ofSeconds(20)).until(() -> send(gone, "back").path("errcode").asInt() == 0);
        wechat.secrets().add(wechat.sandbox().currentRefreshToken(gone));
    }

    /**
     * Two relays may handle WeChat's pushes in either order: the stored ticket is the one WeChat made last (its
     * CreateTime), not the one handled last.
     */
    @Test
    void anOlderTicketPushHandledLastDoesNotReplaceTheNewerOne() throws Exception {
        String newer = "ticket@@@newer-" + System.nanoTime();
        String older = "ticket@@@older-" + System.nanoTime();
        wechat.secrets().addAll(List.of(newer, older));
        long now = System.currentTimeMillis() / 1000;
        assertTrue(wechat.pushes().push(Pushes.COMPONENT_PATH, ticketXml(newer, now)).success());
        assertEquals((now * 1000) + " " + newer, wechat.stored("component-verify-ticket").orElseThrow(),
                "stored with WeChat's CreateTime");
        // made ten minutes earlier, handled after it (a retry, or another relay that was slower)
        assertTrue(wechat.pushes().push(Pushes.COMPONENT_PATH, ticketXml(older, now - 600)).success(),
                "answered success: WeChat must not retry it");
        assertEquals((now * 1000) + " " + newer, wechat.stored("component-verify-ticket").orElseThrow());
        assertTrue(wechat.logs().text().contains("older than the stored one: kept the stored one"),
                "a log line says why");

        String newest = "ticket@@@newest-" + System.nanoTime();
        wechat.secrets().add(newest);
        assertTrue(wechat.pushes().push(Pushes.COMPONENT_PATH, ticketXml(newest, now + 600)).success());
        assertTrue(wechat.stored("component-verify-ticket").orElseThrow().endsWith(" " + newest));
    }

    @Test
    void everyPlatformEventIsPublishedWithoutItsSecrets() throws Exception {
        MessageConsumer events = wechat.jms().session()
                .createConsumer(wechat.jms().session().createTopic("kefu.component.events"));
        String ticket = "ticket@@@published-" + System.nanoTime();
        wechat.secrets().add(ticket);
        assertTrue(wechat.pushes().verifyTicket(ticket).success());
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
        wechat.secrets().add(m.group(1));
        return r;
    }

    private static String ticketXml(String ticket, long createTime) {
        return "<xml><AppId><![CDATA[" + COMPONENT + "]]></AppId><CreateTime>" + createTime + "</CreateTime><InfoType>"
                + "<![CDATA[component_verify_ticket]]></InfoType><ComponentVerifyTicket><![CDATA[" + ticket
                + "]]></ComponentVerifyTicket></xml>";
    }
}
