package dev.kefurelay.send;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.store.SecretStore;
import dev.kefurelay.testkit.Http;
import dev.kefurelay.testkit.JmsTestClient;
import dev.kefurelay.testkit.TestRelays;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kefu.token.mode=component end to end: sandbox over real HTTP, embedded broker, store in a temp dir. */
class ComponentModeTest {

    static final String COMPONENT = "wxcomponenttest001";
    static final String COMPONENT_SECRET = "component-secret-value-1";
    static final String TICKET = "ticket@@@initial-ticket-value";
    static final List<String> AUTHORIZERS = List.of("wxauthorizer000001", "wxauthorizer000002", "wxauthorizer000003");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    WeChatSandbox sandbox;
    KefuRelay relay;
    LogCapture logs;
    /** Every secret a test handed out or saw: none may reach the log. */
    final Set<String> secrets = new LinkedHashSet<>();

    @BeforeEach
    void start() throws Exception {
        logs = LogCapture.open();
        sandbox = WeChatSandbox.start(0).component(COMPONENT, COMPONENT_SECRET);
        sandbox.verifyTicket(TICKET);
        for (String appid : AUTHORIZERS) {
            sandbox.authorizer(appid, seed(appid));
            secrets.add(seed(appid));
        }
        secrets.add(COMPONENT_SECRET);
        secrets.add(TICKET);
        relay = KefuRelay.start(properties());
    }

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
        sandbox.close();
        logs.close();
        for (String appid : AUTHORIZERS) {
            secrets.add(sandbox.currentRefreshToken(appid));
        }
        secrets.addAll(sandbox.issuedTokens());
        logs.assertNoneOf(secrets, "a secret, token, ticket or refresh token");
    }

    private Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>(TestRelays.properties(dir, sandbox, Map.of()));
        p.remove("kefu.appid");
        p.remove("kefu.secret");
        p.put("kefu.token.mode", "component");
        p.put("kefu.component.appid", COMPONENT);
        p.put("kefu.component.secret", COMPONENT_SECRET);
        p.put("kefu.component.ticket", TICKET);
        for (String appid : AUTHORIZERS) {
            p.put("kefu.authorizers." + appid + ".refresh-token", seed(appid));
        }
        return p;
    }

    private static String seed(String appid) {
        return "seed-refresh-token-of-" + appid;
    }

    private static String from(String appid, String text) {
        return "{\"appid\":\"" + appid + "\"," + Samples.text(text).substring(1);
    }

    private Path storeDir() {
        return dir.resolve("store");
    }

    private Optional<String> stored(String key) {
        // the files, not the relay's memory
        return SecretStore.peek(storeDir(), key);
    }

    private JsonNode send(String body) throws Exception {
        return JSON.readTree(relay.send(body));
    }

    @Test
    void threeAuthorizersTimesOneHundredConcurrentMessagesFetchEachTokenOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(48);
        List<Callable<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String body = from(AUTHORIZERS.get(i % 3), "burst " + i);
            tasks.add(() -> relay.send(body));
        }
        try {
            for (Future<String> f : pool.invokeAll(tasks)) {
                assertTrue(f.get().contains("\"errcode\":0"), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(300, sandbox.deliveredCount());
        assertEquals(1, sandbox.tokenFetches(COMPONENT), "component token fetches");
        for (String appid : AUTHORIZERS) {
            assertEquals(1, sandbox.tokenFetches(appid), "authorizer token fetches of " + appid);
            assertEquals(100, sandbox.delivered().stream().filter(d -> d.appid().equals(appid)).count());
        }
    }

    @Test
    void aRotatedRefreshTokenIsOnDiskBeforeTheNextCallAndSurvivesARestart() throws Exception {
        String a = AUTHORIZERS.get(0);
        String key = "authorizer-" + a + ".refresh-token";
        assertEquals(0, send(from(a, "one")).path("errcode").asInt());
        String rotated = sandbox.currentRefreshToken(a);
        assertNotEquals(seed(a), rotated);
        assertEquals(Optional.of(rotated), stored(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(storeDir().resolve(key))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(storeDir())));

        // the next token call presents the stored one (the sandbox takes nothing else)
        relay.tokens().invalidate(a);
        assertEquals(0, send(from(a, "two")).path("errcode").asInt());
        String again = sandbox.currentRefreshToken(a);
        assertEquals(Optional.of(again), stored(key));

        // a restart with the same (now stale) seed in the properties: the stored value wins
        relay.close();
        relay = KefuRelay.start(properties());
        assertEquals(0, send(from(a, "after restart")).path("errcode").asInt());
        assertEquals(Optional.of(sandbox.currentRefreshToken(a)), stored(key));
        assertEquals(3, sandbox.tokenFetches(a));
    }

    @Test
    void aStoreWriteKilledHalfWayLosesNothingAcrossARestart() throws Exception {
        String a = AUTHORIZERS.get(0);
        String key = "authorizer-" + a + ".refresh-token";
        assertEquals(0, send(from(a, "one")).path("errcode").asInt());
        String rotated = sandbox.currentRefreshToken(a);
        relay.close();
        relay = null;
        // kill -9 in the middle of writing a newer value: a temp file cut short beside the good file
        Path temp = storeDir().resolve("." + key + ".crashed.tmp");
        Files.writeString(temp, "kefu-store 1 deadbeef 40\nhalf-writ");
        relay = KefuRelay.start(properties());
        assertFalse(Files.exists(temp));
        assertEquals(0, send(from(a, "after crash")).path("errcode").asInt());
        assertNotEquals(rotated, sandbox.currentRefreshToken(a));
        assertEquals(Optional.of(sandbox.currentRefreshToken(a)), stored(key));
    }

    @Test
    void theAccessTokenIsNotUsedWhenItsRefreshTokenCannotBeStored() throws Exception {
        String a = AUTHORIZERS.get(0);
        assertEquals(0, send(from(a, "one")).path("errcode").asInt());
        relay.tokens().invalidate(a);
        // a store the relay cannot write (tests run as root, so permissions would not stop it): the file's
        // place is taken by a folder
        Path file = storeDir().resolve("authorizer-" + a + ".refresh-token");
        Files.delete(file);
        Files.createDirectories(file.resolve("blocker"));
        try {
            JsonNode failed = send(from(a, "store not writable"));
            assertEquals("retries-exhausted", failed.path("reason").asText(), failed.toString());
            assertTrue(failed.path("errmsg").asText().contains("could not store the rotated refresh token"));
            assertEquals(1, sandbox.deliveredCount());
        } finally {
            Files.delete(file.resolve("blocker"));
            Files.delete(file);
        }
        // the relay kept the newest refresh token in memory: nothing was lost, the account is still usable
        assertEquals(0, send(from(a, "store writable again")).path("errcode").asInt());
        assertEquals(Optional.of(sandbox.currentRefreshToken(a)), stored("authorizer-" + a + ".refresh-token"));
    }

    @Test
    void anAuthorizerThatMustAuthorizeAgainIsDeadLetteredWhileTheOthersDeliver() throws Exception {
        String broken = AUTHORIZERS.get(1);
        sandbox.failAuthorizer(broken, 61023);
        try (JmsTestClient jms = new JmsTestClient(relay.broker().url(), "kefu.outbound")) {
            for (int i = 0; i < 5; i++) {
                for (String appid : AUTHORIZERS) {
                    jms.sendText(from(appid, "jms " + i));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.deliveredCount() == 10);
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
            assertTrue(sandbox.delivered().stream().noneMatch(d -> d.appid().equals(broken)));
            // refused once, then not asked again with the same refresh token
            assertEquals(1, sandbox.tokenFetches(broken));

            // the account authorizes again; its new refresh token arrives on queue kefu.authorizers
            String renewed = "renewed-refresh-token-of-" + broken;
            secrets.add(renewed);
            sandbox.failAuthorizer(broken, 0);
            sandbox.authorizer(broken, renewed);
            try (JmsTestClient admin = new JmsTestClient(relay.broker().url(), "kefu.authorizers")) {
                admin.sendText("{\"authorizer_appid\":\"" + broken + "\",\"authorizer_refresh_token\":\"" + renewed + "\"}");
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> stored("authorizer-" + broken + ".refresh-token").equals(Optional.of(renewed)));
            assertEquals(0, send(from(broken, "authorized again")).path("errcode").asInt());
        }
    }

    @Test
    void anAuthorizerAddedAtRunTimeCanSend() throws Exception {
        String added = "wxauthorizer000009";
        String token = "added-at-run-time-refresh-token";
        secrets.add(token);
        sandbox.authorizer(added, token);
        JsonNode unknown = send(from(added, "too early"));
        assertEquals("invalid-input", unknown.path("reason").asText());
        assertTrue(unknown.path("errmsg").asText().contains("kefu.authorizers." + added + ".refresh-token"),
                unknown.toString());
        // not yet an authorizer: no token request, nothing for readiness to chase, no series of its own
        assertEquals(0, sandbox.tokenFetches(added));
        assertEquals(0, relay.tokens().fetches(added));
        String ready = relay.httpUrl() + KefuRelay.HEALTH_PATH + "/ready";
        // (right after the start the inbox consumer may not have polled yet: that check comes UP by itself)
        await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(ready).status() == 200);
        String metrics = Http.get(relay.httpUrl() + KefuRelay.METRICS_PATH).body();
        assertFalse(metrics.contains(added), metrics);
        assertEquals(1.0, Http.sample(metrics, "kefu_messages_failed_total", Map.of("appid", "unconfigured")));

        relay.template().sendBody(dev.kefurelay.send.ComponentRoutes.AUTHORIZERS,
                "{\"authorizer_appid\":\"" + added + "\",\"authorizer_refresh_token\":\"" + token + "\"}");
        assertEquals(0, send(from(added, "now known")).path("errcode").asInt());
        // the live set: once added, it is an account of its own in the metrics
        assertEquals(1.0, Http.sample(Http.get(relay.httpUrl() + KefuRelay.METRICS_PATH).body(),
                "kefu_messages_delivered_total", Map.of("appid", added)));
        // and it is remembered over a restart without any property
        relay.close();
        relay = KefuRelay.start(properties());
        relay.tokens().invalidate(added);
        assertEquals(0, send(from(added, "after restart")).path("errcode").asInt());
    }

    @Test
    void ticketsFromDirectAndFromTheQueueAreStoredAndUsed() throws Exception {
        String a = AUTHORIZERS.get(0);
        assertEquals(0, send(from(a, "with the initial ticket")).path("errcode").asInt());
        assertTrue(stored("component-verify-ticket").orElseThrow().endsWith(" " + TICKET));

        // a new ticket by direct:; WeChat then revokes every token: the relay needs a new component token
        String second = "ticket@@@second-ticket";
        secrets.add(second);
        sandbox.verifyTicket(second);
        String reply = relay.template().requestBody(dev.kefurelay.send.ComponentRoutes.TICKET, second, String.class);
        assertEquals("{\"errcode\":0,\"errmsg\":\"ok\"}", reply, "the reply does not echo the ticket");
        assertTrue(stored("component-verify-ticket").orElseThrow().endsWith(" " + second));
        sandbox.revokeTokens();
        assertEquals(0, send(from(a, "with the second ticket")).path("errcode").asInt());
        assertEquals(2, sandbox.tokenFetches(COMPONENT));

        // a new ticket by JMS
        String third = "ticket@@@third-ticket";
        secrets.add(third);
        sandbox.verifyTicket(third);
        try (JmsTestClient jms = new JmsTestClient(relay.broker().url(), "kefu.component.ticket")) {
            jms.sendText(third);
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> stored("component-verify-ticket").orElseThrow().endsWith(" " + third));
        sandbox.revokeTokens();
        assertEquals(0, send(from(a, "with the third ticket")).path("errcode").asInt());
        assertEquals(3, sandbox.tokenFetches(COMPONENT));

        // WeChat moved on, the relay did not hear of it: the failure says a newer ticket is needed
        sandbox.verifyTicket("ticket@@@missed-ticket");
        sandbox.revokeTokens();
        JsonNode failed = send(from(a, "stale ticket"));
        assertEquals("wechat-error", failed.path("reason").asText(), failed.toString());
        assertEquals(61006, failed.path("errcode").asInt());
        assertTrue(failed.path("errmsg").asText().contains("a newer component_verify_ticket is needed"), failed.toString());
    }

    @Test
    void badAuthorizerUpdatesAndEmptyTicketsAreDeadLetteredAtOnceWithoutLoggingTheirToken() throws Exception {
        String leaked = "refresh-token-in-a-bad-update";
        secrets.add(leaked);
        String bad = "{\"authorizer_appid\":\"wx/../bad\",\"authorizer_refresh_token\":\"" + leaked + "\"}";
        try (JmsTestClient admin = new JmsTestClient(relay.broker().url(), "kefu.authorizers")) {
            admin.sendText(bad);
            admin.sendText("not json " + leaked);
            String badTime = "ticket@@@with-a-bad-create-time";
            secrets.add(badTime);
            try (JmsTestClient tickets = new JmsTestClient(relay.broker().url(), "kefu.component.ticket")) {
                tickets.sendText("  ");
                jakarta.jms.TextMessage timed = tickets.session().createTextMessage(badTime);
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
                errmsgs.put(((jakarta.jms.TextMessage) m).getText(), m.getStringProperty("KefuErrmsg"));
            }
            assertTrue(errmsgs.get(bad).contains("not an authorizer appid"), errmsgs.toString());
            assertTrue(errmsgs.get("not json " + leaked).contains("must be JSON"), errmsgs.toString());
            assertTrue(errmsgs.get("  ").contains("must not be empty"), errmsgs.toString());
            assertEquals("header KefuTicketCreateTime 'yesterday' is not a time in epoch seconds (WeChat's CreateTime)",
                    errmsgs.get(badTime));
            assertTrue(stored("component-verify-ticket").orElseThrow().endsWith(" " + TICKET), "the stored one kept");
            errmsgs.values().forEach(e -> assertFalse(e.contains(leaked)));
        }
    }

    @Test
    void aMessageThatIsNotTextOrBytesOnThePlatformQueuesIsDeadLetteredAtOnce() throws Exception {
        try (JmsTestClient admin = new JmsTestClient(relay.broker().url(), "kefu.authorizers")) {
            jakarta.jms.Session s = admin.session();
            jakarta.jms.MapMessage update = s.createMapMessage();
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
                String type = m instanceof jakarta.jms.MapMessage ? "MapMessage" : "ObjectMessage";
                assertTrue(m.getStringProperty("KefuErrmsg").contains("a JMS " + type), m.getStringProperty("KefuErrmsg"));
            }
            assertTrue(stored("component-verify-ticket").orElseThrow().endsWith(" " + TICKET), "the stored one kept");
        }
    }

    @Test
    void aMessageWithoutAppidIsInvalidInputInComponentMode() throws Exception {
        JsonNode outcome = send(Samples.text("no appid"));
        assertEquals("invalid-input", outcome.path("reason").asText());
        assertTrue(outcome.path("errmsg").asText().contains("appid is missing"), outcome.toString());
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void theSandboxRunsComponentModeAcrossRestarts() throws Exception {
        relay.close();
        Map<String, String> p = new LinkedHashMap<>(TestRelays.properties(dir.resolve("demo"), sandbox, Map.of()));
        p.remove("kefu.appid");
        p.remove("kefu.secret");
        p.remove("kefu.wechat.base-url");
        p.put("kefu.sandbox", "true");
        p.put("kefu.token.mode", "component");
        String demo = from(dev.kefurelay.config.SandboxDefaults.AUTHORIZER_APPID, "demo");
        relay = KefuRelay.start(p);
        assertEquals(0, JSON.readTree(relay.send(demo)).path("errcode").asInt());
        relay.close();
        // the refresh token rotated in the first run; the new sandbox is told the stored one
        relay = KefuRelay.start(p);
        assertEquals(0, JSON.readTree(relay.send(demo)).path("errcode").asInt(), relay.send(demo));
    }

    /**
     * kefu.sandbox=true with kefu.store.url: the sandbox is told the refresh tokens and ticket the PostgreSQL store
     * holds, which are the ones the relay presents. Each run has a local store folder of its own, empty: only the
     * database knows the refresh token that rotated in the first run.
     */
    @Test
    void theSandboxRunsComponentModeOnThePostgreSqlStoreAcrossRestarts() throws Exception {
        relay.close();
        String db = dev.kefurelay.store.TestPostgres.newDatabase();
        String demo = from(dev.kefurelay.config.SandboxDefaults.AUTHORIZER_APPID, "demo");
        for (String run : List.of("pg-run-1", "pg-run-2")) {
            Map<String, String> p = new LinkedHashMap<>(TestRelays.properties(dir.resolve(run), sandbox, Map.of()));
            p.remove("kefu.appid");
            p.remove("kefu.secret");
            p.remove("kefu.wechat.base-url");
            p.put("kefu.sandbox", "true");
            p.put("kefu.token.mode", "component");
            p.put("kefu.store.url", dev.kefurelay.store.TestPostgres.url(db));
            p.put("kefu.store.user", "postgres");
            relay = KefuRelay.start(p);
            String reply = relay.send(demo);
            assertEquals(0, JSON.readTree(reply).path("errcode").asInt(), run + ": " + reply);
            relay.close();
            relay = null;
        }
    }
}
