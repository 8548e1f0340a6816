package dev.kefurelay.send;

import static dev.kefurelay.send.ComponentPlatform.AUTHORIZERS;
import static dev.kefurelay.send.ComponentPlatform.COMPONENT;
import static dev.kefurelay.send.ComponentPlatform.TICKET;
import static dev.kefurelay.send.ComponentPlatform.from;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.testkit.ComponentRelay;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.JmsTestClient;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kefu.token.mode=component end to end while its platform changes: authorizers that must authorize again or are added
 * at run time, tickets by direct: and JMS, and what the platform queues (kefu.authorizers, kefu.component.ticket)
 * cannot take, dead-lettered at once without its token in the log. Sandbox over real HTTP, embedded broker, store in
 * a temp dir.
 */
class ComponentUpdatesTest {

    @RegisterExtension
    final ComponentRelay wechat = ComponentPlatform.relay();

    @Test
    void anAuthorizerThatMustAuthorizeAgainIsDeadLetteredWhileTheOthersDeliver() throws Exception {
        String broken = AUTHORIZERS.get(1);
        wechat.sandbox().failAuthorizer(broken, 61023);
        try (JmsTestClient jms = new JmsTestClient(wechat.relay().broker().url(), "kefu.outbound")) {
            for (int i = 0; i < 5; i++) {
                for (String appid : AUTHORIZERS) {
                    jms.sendText(from(appid, "jms " + i));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> wechat.sandbox().deliveredCount() == 10);
            List<Message> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dead.addAll(jms.drain("kefu.outbound.dlq"));
                return dead.size() >= 5;
            });
            assertEquals(5, dead.size());
            for (Message m : dead) {
                assertEquals("wechat-error", m.getStringProperty("KefuReason"));
                assertEquals(61023, m.getIntProperty("KefuErrcode"));
                assertTrue(m.getStringProperty("KefuErrmsg").contains("authorizer " + broken
                        + " must authorize the platform again"), m.getStringProperty("KefuErrmsg"));
            }
            assertTrue(wechat.sandbox().delivered().stream().noneMatch(d -> d.appid().equals(broken)));
            // refused once, then not asked again with the same refresh token
            assertEquals(1, wechat.sandbox().tokenFetches(broken));

            // the account authorizes again; its new refresh token arrives on queue kefu.authorizers
            String renewed = "renewed-refresh-token-of-" + broken;
            wechat.secrets().add(renewed);
            wechat.sandbox().failAuthorizer(broken, 0);
            wechat.sandbox().authorizer(broken, renewed);
            try (JmsTestClient admin = new JmsTestClient(wechat.relay().broker().url(), "kefu.authorizers")) {
                admin.sendText("{\"authorizer_appid\":\"" + broken + "\",\"authorizer_refresh_token\":\"" + renewed
                        + "\"}");
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> wechat.stored("authorizer-" + broken + ".refresh-token").equals(Optional.of(renewed)));
            assertEquals(0, wechat.send(from(broken, "authorized again")).path("errcode").asInt());
        }
    }

    @Test
    void anAuthorizerAddedAtRunTimeCanSend() throws Exception {
        String added = "wxauthorizer000009";
        String token = "added-at-run-time-refresh-token";
        wechat.secrets().add(token);
        wechat.sandbox().authorizer(added, token);
        JsonNode unknown = wechat.send(from(added, "too early"));
        assertEquals("invalid-input", unknown.path("reason").asText());
        assertTrue(unknown.path("errmsg").asText().contains("kefu.authorizers." + added + ".refresh-token"),
                unknown.toString());
        // not yet an authorizer: no token request, nothing for readiness to chase, no series of its own
        assertEquals(0, wechat.sandbox().tokenFetches(added));
        assertEquals(0, wechat.relay().tokens().fetches(added));
        String ready = wechat.relay().httpUrl() + KefuRelay.HEALTH_PATH + "/ready";
        // (right after the start the inbox consumer may not have polled yet: that check comes UP by itself)
        await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);
        String metrics = Http.get(wechat.relay().httpUrl() + KefuRelay.METRICS_PATH).body();
        assertFalse(metrics.contains(added), metrics);
        assertEquals(1.0, Http.sample(metrics, "kefu_messages_failed_total", Map.of("appid", "unconfigured")));

        wechat.relay().template().sendBody(ComponentRoutes.AUTHORIZERS,
                "{\"authorizer_appid\":\"" + added + "\",\"authorizer_refresh_token\":\"" + token + "\"}");
        assertEquals(0, wechat.send(from(added, "now known")).path("errcode").asInt());
        // the live set: once added, it is an account of its own in the metrics
        assertEquals(1.0, Http.sample(Http.get(wechat.relay().httpUrl() + KefuRelay.METRICS_PATH).body(),
                "kefu_messages_delivered_total", Map.of("appid", added)));
        // and it is remembered over a restart without any property
        wechat.start(wechat.properties());
        wechat.relay().tokens().invalidate(added);
        assertEquals(0, wechat.send(from(added, "after restart")).path("errcode").asInt());
    }

    @Test
    void ticketsFromDirectAndFromTheQueueAreStoredAndUsed() throws Exception {
        String a = AUTHORIZERS.get(0);
        assertEquals(0, wechat.send(from(a, "with the initial ticket")).path("errcode").asInt());
        assertTrue(wechat.stored("component-verify-ticket").orElseThrow().endsWith(" " + TICKET));

        // a new ticket by direct:; WeChat then revokes every token: the relay needs a new component token
        String second = "ticket@@@second-ticket";
        wechat.secrets().add(second);
        wechat.sandbox().verifyTicket(second);
        String reply = wechat.relay().template().requestBody(ComponentRoutes.TICKET, second, String.class);
        assertEquals("{\"errcode\":0,\"errmsg\":\"ok\"}", reply, "the reply does not echo the ticket");
        assertTrue(wechat.stored("component-verify-ticket").orElseThrow().endsWith(" " + second));
        wechat.sandbox().revokeTokens();
        assertEquals(0, wechat.send(from(a, "with the second ticket")).path("errcode").asInt());
        assertEquals(2, wechat.sandbox().tokenFetches(COMPONENT));

        // a new ticket by JMS
        String third = "ticket@@@third-ticket";
        wechat.secrets().add(third);
        wechat.sandbox().verifyTicket(third);
        try (JmsTestClient jms = new JmsTestClient(wechat.relay().broker().url(), "kefu.component.ticket")) {
            jms.sendText(third);
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> wechat.stored("component-verify-ticket").orElseThrow().endsWith(" " + third));
        wechat.sandbox().revokeTokens();
        assertEquals(0, wechat.send(from(a, "with the third ticket")).path("errcode").asInt());
        assertEquals(3, wechat.sandbox().tokenFetches(COMPONENT));

        // WeChat moved on, the relay did not hear of it: the failure says a newer ticket is needed
        wechat.sandbox().verifyTicket("ticket@@@missed-ticket");
        wechat.sandbox().revokeTokens();
        JsonNode failed = wechat.send(from(a, "stale ticket"));
        assertEquals("wechat-error", failed.path("reason").asText(), failed.toString());
        assertEquals(61006, failed.path("errcode").asInt());
        assertTrue(failed.path("errmsg").asText().contains("a newer component_verify_ticket is needed"),
                failed.toString());
    }

    @Test
    void badAuthorizerUpdatesAndEmptyTicketsAreDeadLetteredAtOnceWithoutLoggingTheirToken() throws Exception {
        String leaked = "refresh-token-in-a-bad-update";
        wechat.secrets().add(leaked);
        String bad = "{\"authorizer_appid\":\"wx/../bad\",\"authorizer_refresh_token\":\"" + leaked + "\"}";
        try (JmsTestClient admin = new JmsTestClient(wechat.relay().broker().url(), "kefu.authorizers")) {
            admin.sendText(bad);
            admin.sendText("not json " + leaked);
            String badTime = "ticket@@@with-a-bad-create-time";
            wechat.secrets().add(badTime);
            try (JmsTestClient tickets = new JmsTestClient(wechat.relay().broker().url(), "kefu.component.ticket")) {
                tickets.sendText("  ");
                TextMessage timed = tickets.session().createTextMessage(badTime);
                timed.setStringProperty("KefuTicketCreateTime", "yesterday");
                try (var producer = tickets.session().createProducer(tickets.session().createQueue(
                        "kefu.component.ticket"))) {
                    producer.send(timed);
                }
            }
            List<Message> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dead.addAll(admin.drain("kefu.outbound.dlq"));
                return dead.size() >= 4;
            });
            assertEquals(4, dead.size());
            Map<String, String> errmsgs = new LinkedHashMap<>();
            for (Message m : dead) {
                assertEquals("invalid-input", m.getStringProperty("KefuReason"));
                assertEquals(1, m.getIntProperty("JMSXDeliveryCount"), "not redelivered: it cannot pass");
                errmsgs.put(((TextMessage) m).getText(), m.getStringProperty("KefuErrmsg"));
            }
            assertTrue(errmsgs.get(bad).contains("not an authorizer appid"), errmsgs.toString());
            assertTrue(errmsgs.get("not json " + leaked).contains("must be JSON"), errmsgs.toString());
            assertTrue(errmsgs.get("  ").contains("must not be empty"), errmsgs.toString());
            assertEquals("header KefuTicketCreateTime 'yesterday' is not a time in epoch seconds (WeChat's CreateTime)",
                    errmsgs.get(badTime));
            assertTrue(wechat.stored("component-verify-ticket").orElseThrow().endsWith(" " + TICKET),
                    "the stored one kept");
            errmsgs.values().forEach(e -> assertFalse(e.contains(leaked)));
        }
    }

    @Test
    void aMessageThatIsNotTextOrBytesOnThePlatformQueuesIsDeadLetteredAtOnce() throws Exception {
        try (JmsTestClient admin = new JmsTestClient(wechat.relay().broker().url(), "kefu.authorizers")) {
            Session s = admin.session();
            MapMessage update = s.createMapMessage();
            update.setString("authorizer_appid", AUTHORIZERS.get(0));
            try (var producer = s.createProducer(s.createQueue("kefu.authorizers"))) {
                producer.send(update);
            }
            try (var producer = s.createProducer(s.createQueue("kefu.component.ticket"))) {
                producer.send(s.createObjectMessage("ticket@@@as-an-object"));
            }
            List<Message> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dead.addAll(admin.drain("kefu.outbound.dlq"));
                return dead.size() >= 2;
            });
            assertEquals(2, dead.size());
            for (Message m : dead) {
                assertEquals("invalid-input", m.getStringProperty("KefuReason"));
                String type = m instanceof MapMessage ? "MapMessage" : "ObjectMessage";
                assertTrue(m.getStringProperty("KefuErrmsg").contains("a JMS " + type),
                        m.getStringProperty("KefuErrmsg"));
            }
            assertTrue(wechat.stored("component-verify-ticket").orElseThrow().endsWith(" " + TICKET),
                    "the stored one kept");
        }
    }
}
