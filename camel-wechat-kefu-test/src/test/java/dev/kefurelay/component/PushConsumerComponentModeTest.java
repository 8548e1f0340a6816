package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.LogCapture;
import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code from("wechat-kefu:push")} for a third-party platform (token mode component), in a camel-main application:
 * the platform's authorization events at {@code /wechat/component} change the component's store (the ticket, an
 * authorizer's refresh token, a withdrawal) and become no exchange; each authorizer's users' messages come to
 * {@code /wechat/accounts/<authorizer>}, encrypted with the platform's keys.
 */
class PushConsumerComponentModeTest {

    static final String COMPONENT = "wxconsumerplatform";
    static final String COMPONENT_SECRET = "consumer-platform-secret";
    static final String TICKET = "ticket@@@consumer-initial";
    static final String AUTHORIZER = "wxconsumerauthor01";
    static final String PUSH_TOKEN = "platformPushToken1";
    static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    WeChatSandbox sandbox;
    PushApp app;
    LogCapture logs;
    Pushes pushes;
    final Set<String> secrets = new LinkedHashSet<>(List.of(COMPONENT_SECRET, TICKET, PUSH_TOKEN, AES_KEY,
            "seed-" + AUTHORIZER));

    @BeforeEach
    void start() throws Exception {
        logs = LogCapture.everyLevel();
        sandbox = WeChatSandbox.start(0).component(COMPONENT, COMPONENT_SECRET)
                .authorizer(AUTHORIZER, "seed-" + AUTHORIZER);
        sandbox.verifyTicket(TICKET);
        app = new PushApp(sandbox.baseUrl(), dir, Map.of("token-mode", "component", "component-appid", COMPONENT,
                "component-secret", COMPONENT_SECRET, "component-ticket", TICKET, "authorizers[" + AUTHORIZER + "]",
                "seed-" + AUTHORIZER, "push-token", PUSH_TOKEN, "push-secret-key", AES_KEY)).start();
        pushes = sandbox.pushes(app.url(), PUSH_TOKEN, AES_KEY, COMPONENT);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        sandbox.close();
        logs.close();
        secrets.add(sandbox.currentRefreshToken(AUTHORIZER));
        secrets.addAll(sandbox.issuedTokens());
        PushConsumerTest.assertNoSecretLogged(logs, secrets);
    }

    private JsonNode send(String appid, String text) throws Exception {
        return JSON.readTree(app.camel().createProducerTemplate().requestBody("wechat-kefu:send?failure=outcome",
                "{\"appid\":\"" + appid + "\"," + Samples.text(text).substring(1), String.class));
    }

    /** The one-time code inside a pushed authorization: a secret the log must not hold. */
    private Pushes.Result keepCode(Pushes.Result r) {
        Matcher m = Pattern.compile("<AuthorizationCode><!\\[CDATA\\[([^\\]]+)").matcher(r.xml());
        assertTrue(m.find(), "an authorization push carries a code");
        secrets.add(m.group(1));
        return r;
    }

    @Test
    void aPushedTicketIsStoredAndUsedForTheNextComponentTokenAndIsNoExchange() throws Exception {
        String ticket = "ticket@@@consumer-pushed-" + System.nanoTime();
        secrets.add(ticket);
        assertTrue(pushes.verifyTicket(ticket).success());
        assertEquals(ticket, app.wechat().platform().orElseThrow().tickets().latest().orElseThrow().value());
        // the sandbox takes only the pushed ticket now: a delivery proves the component token was fetched with it
        assertEquals(0, send(AUTHORIZER, "after the ticket").path("errcode").asInt());
        assertEquals(1, sandbox.tokenFetches(COMPONENT));
        assertEquals(0, app.bodies.size(), "a platform event is not routed");
    }

    @Test
    void anAuthorizationMakesTheNewAuthorizerUsableOnceThoughWeChatPushesItAgain() throws Exception {
        String fresh = "wxconsumerfresh001";
        Pushes.Result first = keepCode(pushes.authorized(fresh));
        assertTrue(first.success(), first.toString());
        // stored before the answer: usable at once
        assertEquals(0, send(fresh, "welcome").path("errcode").asInt());
        secrets.add(sandbox.currentRefreshToken(fresh));
        // WeChat's retry, signed anew: the used code is not exchanged again
        assertTrue(pushes.push(first.path(), first.xml()).success());
        assertFalse(logs.text().contains("refused by WeChat"), "the retry reached api_query_auth");
        assertEquals(0, app.bodies.size());
    }

    @Test
    void aWithdrawalStopsThatAuthorizer() throws Exception {
        assertEquals(0, send(AUTHORIZER, "before").path("errcode").asInt());
        assertTrue(pushes.unauthorized(AUTHORIZER).success());
        int calls = sandbox.sendCalls();
        JsonNode refused = send(AUTHORIZER, "after");
        assertEquals("unauthorized", refused.path("reason").asText(), refused.toString());
        assertEquals(calls, sandbox.sendCalls(), "nothing sent to WeChat for it");
    }

    @Test
    void anAuthorizersUsersMessageIsAnExchangeOfThatAuthorizer() {
        assertTrue(pushes.userText(AUTHORIZER, "oAuthorizerUser1", "hello platform").success());
        assertEquals(AUTHORIZER, app.headers.get(0).get("KefuAppId"));
        assertEquals("oAuthorizerUser1", app.headers.get(0).get("KefuOpenId"));
        // another platform's event is refused
        Pushes other = sandbox.pushes(app.url(), PUSH_TOKEN, AES_KEY, "wxanotherplatform");
        assertEquals(401, other.verifyTicket("ticket@@@other").status());
    }
}
