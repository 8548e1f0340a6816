package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.LogCapture;
import dev.kefurelay.message.AccountKind;
import dev.kefurelay.push.PushCrypto;
import dev.kefurelay.sandbox.MiniProgramPushes;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code from("wechat-kefu:push")} in a camel-main application on Camel's own HTTP server (camel-platform-http-main),
 * configured by properties only: the sandbox encrypts, signs and POSTs pushes over real HTTP, as WeChat does, to the
 * path WeChat is given ({@code /wechat/accounts/<appid>}).
 */
class PushConsumerTest {

    static final String APPID = "wxconsumeraccount1";
    static final String SECRET = "consumer-secret-value-1";
    static final String MINI = "wxconsumermini0001";
    static final String MINI_SECRET = "consumer-secret-value-2";
    static final String PUSH_TOKEN = "consumerPushToken1";
    static final String AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aQ";
    static final String MINI_TOKEN = "consumerMiniToken2";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    WeChatSandbox sandbox;
    PushApp app;
    LogCapture logs;
    Pushes pushes;
    final Set<String> secrets = new LinkedHashSet<>(List.of(SECRET, MINI_SECRET, PUSH_TOKEN, AES_KEY, MINI_TOKEN));

    @BeforeEach
    void start() throws Exception {
        logs = LogCapture.everyLevel();
        sandbox = WeChatSandbox.start(0).account(APPID, SECRET).account(MINI, MINI_SECRET).kind(MINI,
                AccountKind.MINIPROGRAM);
        app = new PushApp(sandbox.baseUrl(), dir, Map.of("appid", APPID, "secret", SECRET, "push-token", PUSH_TOKEN,
                "push-secret-key", AES_KEY, "accounts[" + MINI + "]", MINI_SECRET, "account-kinds[" + MINI + "]",
                "miniprogram", "account-push-tokens[" + MINI + "]", MINI_TOKEN)).start();
        pushes = sandbox.pushes(app.url(), PUSH_TOKEN, AES_KEY, APPID);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        sandbox.close();
        logs.close();
        secrets.addAll(sandbox.issuedTokens());
        assertNoSecretLogged(logs, secrets);
    }

    /**
     * Every line at INFO and above, and this project's at every level. Not camel-main's own DEBUG and TRACE lines:
     * they print each configured property with its value (Camel masks a few key names only), whichever component.
     */
    static void assertNoSecretLogged(LogCapture logs, Set<String> secrets) {
        List<String> lines = new java.util.ArrayList<>(logs.lines(Level.INFO));
        logs.lines().stream().filter(l -> l.startsWith("dev.kefurelay.")).forEach(lines::add);
        for (String secret : secrets) {
            if (secret != null && lines.stream().anyMatch(l -> l.contains(secret))) {
                throw new AssertionError("a secret, token or key reached the log");
            }
        }
    }

    @Test
    void aUsersTextBecomesAnExchangeWithItsFieldsAsHeadersAfterTheWindowIsRecorded() throws Exception {
        Pushes.Result r = pushes.userText(APPID, "oConsumerUser01", "你好, is anyone there?");
        assertTrue(r.success(), r.toString());
        assertEquals(1, app.bodies.size());
        Map<String, Object> headers = app.headers.get(0);
        assertEquals(APPID, headers.get("KefuAppId"));
        assertEquals("oConsumerUser01", headers.get("KefuOpenId"));
        assertEquals("text", headers.get("KefuMsgType"));
        assertEquals("official", headers.get("KefuAccountKind"));
        assertEquals("message", headers.get("KefuInteraction"));
        assertNull(headers.get("KefuEvent"));
        assertTrue(headers.get("KefuPushId").toString().startsWith(APPID + ":msg:"), headers.toString());
        assertEquals(Set.of("KefuAppId", "KefuOpenId", "KefuMsgType", "KefuAccountKind", "KefuInteraction",
                "KefuPushId"), headers.keySet(), "no HTTP header of the request reaches the route");
        JsonNode body = JSON.readTree(app.bodies.get(0));
        assertEquals(APPID, body.path("appid").asText());
        assertEquals("official", body.path("kind").asText());
        assertEquals("oConsumerUser01", body.path("openid").asText());
        assertEquals("text", body.path("type").asText());
        assertEquals("你好, is anyone there?", body.path("fields").path("Content").asText());
        assertFalse(body.path("msgid").asText().isEmpty());
        // the window book knew before the route ran: the consumer records first
        assertEquals(1, app.wechat().windows().openWindows(APPID));
        assertFalse(logs.text().contains("is anyone there"), "a push's content reached the log");
    }

    @Test
    void anEventCarriesItsEventAndAMenuClickOpensItsWindow() {
        assertTrue(pushes.userClicked(APPID, "oConsumerUser02", "MENU_HELP").success());
        assertEquals("event", app.headers.get(0).get("KefuMsgType"));
        assertEquals("CLICK", app.headers.get(0).get("KefuEvent"));
        assertEquals("menu_click", app.headers.get(0).get("KefuInteraction"));
        assertTrue(pushes.userUnfollowed(APPID, "oConsumerUser02").success());
        assertEquals("none", app.headers.get(1).get("KefuInteraction"), "unsubscribe opens no window");
    }

    @Test
    void aTemplatesDeliveryReportCarriesTheIdOfTheMessageItDelivered() throws Exception {
        sandbox.enforceWindow(true);
        sandbox.templates().template(APPID, "TPL-shipped", "order");
        sandbox.pushTo(app.url(), PUSH_TOKEN, AES_KEY, APPID);
        // the user never wrote: custom/send is refused (45015) and the message goes by its template fallback
        JsonNode sent = JSON.readTree(app.camel().createProducerTemplate().requestBody("wechat-kefu:send?failure=outcome",
                "{\"id\":\"order-4711\",\"touser\":\"oConsumerUser07\",\"msgtype\":\"text\",\"text\":{\"content\":"
                        + "\"shipped\"},\"fallback\":{\"msgtype\":\"template\",\"template\":{\"template_id\":"
                        + "\"TPL-shipped\",\"data\":{\"order\":{\"value\":\"4711\"}}}}}", String.class));
        assertEquals("template", sent.path("channel").asText(), sent.toString());
        assertTrue(sandbox.templates().finishJob(sent.path("msgid").asLong(), "success").success());
        Map<String, Object> headers = app.headers.get(0);
        assertEquals("TEMPLATESENDJOBFINISH", headers.get("KefuEvent"));
        assertEquals("order-4711", headers.get("KefuMessageId"));
        assertEquals("none", headers.get("KefuInteraction"), "a report opens no window");
        assertEquals("order-4711", JSON.readTree(app.bodies.get(0)).path("id").asText());
    }

    @Test
    void aForgedSignatureIsRefusedWithNoExchange() {
        String ts = String.valueOf(System.currentTimeMillis() / 1000);
        PushCrypto.Encrypted e = new PushCrypto(PUSH_TOKEN, AES_KEY, null, APPID, "test").encrypt("<xml><ToUserName>gh"
                + "</ToUserName><FromUserName>oForger</FromUserName><CreateTime>" + ts + "</CreateTime><MsgType>text"
                + "</MsgType><Content>forged</Content><MsgId>1</MsgId></xml>", ts, "n-forged");
        String wrong = PushCrypto.signature("not-the-token", ts, "n-forged", e.encrypt());
        Pushes.Result r = pushes.post(Pushes.ACCOUNTS_PATH + APPID, "timestamp=" + ts + "&nonce=n-forged"
                + "&encrypt_type=aes&msg_signature=" + wrong, e.pushXml(APPID));
        assertEquals(401, r.status());
        assertEquals("refused: bad_signature", r.body());
        assertEquals(0, app.bodies.size());
        assertEquals(0, app.wechat().windows().openWindows(APPID), "nothing recorded for a refused push");
        assertTrue(logs.text().contains("push to " + APPID + " refused (401 BAD_SIGNATURE)"), "one line says why");
        // an appid without keys has no endpoint
        assertEquals(404, pushes.userText("wxnokeys0000000001", "oSomeone", "hi").status());
        assertEquals(0, app.bodies.size());
    }

    @Test
    void aReplayedNonceIsRefusedAndWeChatsRetryIsAnsweredWithoutASecondExchange() {
        Pushes.Result first = pushes.userText(APPID, "oConsumerUser03", "once");
        assertTrue(first.success());
        Pushes.Result replay = pushes.again(first);
        assertEquals(409, replay.status(), replay.toString());
        assertEquals("refused: replayed", replay.body());
        // WeChat's retry of a push it got no answer to in time: the same message signed anew
        Pushes.Result retry = pushes.push(first.path(), first.xml());
        assertTrue(retry.success(), retry.toString());
        assertEquals(1, app.bodies.size(), "one exchange for the push, whatever WeChat sent again");
        String old = String.valueOf(System.currentTimeMillis() / 1000 - 3600);
        assertEquals(409, pushes.push(first.path(), first.xml().replace("once", "late"), old, "n-old").status());
        assertEquals(1, app.bodies.size());
    }

    @Test
    void theRoutesExceptionIsAnswered503AndWeChatsNextTryIsRouted() {
        app.failures.set(1);
        Pushes.Result first = pushes.userText(APPID, "oConsumerUser04", "please answer");
        assertEquals(503, first.status(), first.toString());
        assertEquals(1, app.bodies.size());
        // its nonce was not taken: WeChat's retry (here the very same request) is routed again and answered success
        Pushes.Result retry = pushes.again(first);
        assertTrue(retry.success(), retry.toString());
        assertEquals(2, app.bodies.size());
        assertEquals(app.headers.get(0).get("KefuPushId"), app.headers.get(1).get("KefuPushId"));
    }

    @Test
    void urlVerificationIsAnsweredOnGetInBothFormsAndNothingIsRouted() {
        Pushes.Result plain = pushes.verifyUrl(Pushes.ACCOUNTS_PATH + APPID, "1616140317555161061", false);
        assertEquals(200, plain.status());
        assertEquals("1616140317555161061", plain.body());
        Pushes.Result safe = pushes.verifyUrl(Pushes.ACCOUNTS_PATH + APPID, "5161061161614031755", true);
        assertEquals("5161061161614031755", safe.body());
        assertEquals(403, pushes.get(Pushes.ACCOUNTS_PATH + APPID, plain.query()).status(), "a nonce verifies once");
        assertEquals(0, app.bodies.size());
    }

    @Test
    void aMiniProgramsJsonPushIsReadByItsKindWithItsOwnKeys() {
        Pushes mini = sandbox.pushes(app.url(), MINI_TOKEN, null, MINI);
        Pushes.Result r = mini.miniProgram(MiniProgramPushes.Format.JSON).userText(MINI, "oMiniUser0001", "小程序你好");
        assertTrue(r.success(), r.toString());
        assertEquals("miniprogram", app.headers.get(0).get("KefuAccountKind"));
        assertEquals(MINI, app.headers.get(0).get("KefuAppId"));
        assertTrue(app.bodies.get(0).contains("\"kind\":\"miniprogram\""), app.bodies.get(0));
        // the default account's keys do not open the Mini Program's pushes
        Pushes wrong = sandbox.pushes(app.url(), PUSH_TOKEN, AES_KEY, MINI);
        assertEquals(401, wrong.userText(MINI, "oMiniUser0001", "x").status());
    }

    @Test
    void theConsumersHealthCheckIsUpWhileItListensAndNamesNoKey() throws Exception {
        var results = HealthCheckHelper.invokeReadiness(app.camel(), "full");
        HealthCheck.Result result = results.stream().filter(r -> r.getCheck().getId().equals("consumer:"
                + PushApp.ROUTE_ID)).findFirst().orElseThrow(() -> new AssertionError(results.stream()
                        .map(r -> r.getCheck().getId()).toList().toString()));
        assertEquals(HealthCheck.State.UP, result.getState(), String.valueOf(result.getDetails()));
        assertTrue(pushes.userText(APPID, "oConsumerUser05", "counted").success());
        HealthCheck check = app.camel().getRoute(PushApp.ROUTE_ID).getConsumer() instanceof WeChatKefuPushConsumer c
                ? c.getHealthCheck() : null;
        Map<String, Object> details = check.call().getDetails();
        assertEquals("/wechat/accounts/{appid}", details.get("wechat-kefu.push.paths"));
        assertEquals(1L, details.get("wechat-kefu.push.success"));
        assertTrue(details.get("wechat-kefu.push.appids").toString().contains(APPID));
        assertFalse(details.toString().contains(PUSH_TOKEN) || details.toString().contains(AES_KEY));
        app.camel().getRouteController().stopRoute(PushApp.ROUTE_ID);
        assertEquals(HealthCheck.State.DOWN, check.call().getState());
    }

    @Test
    void theUrlIsFreeOnceTheRouteStops() throws Exception {
        app.camel().getRouteController().stopRoute(PushApp.ROUTE_ID);
        HttpResponse<String> gone = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.url()
                + Pushes.ACCOUNTS_PATH + APPID)).POST(HttpRequest.BodyPublishers.ofString("<xml/>")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, gone.statusCode());
        app.camel().getRouteController().startRoute(PushApp.ROUTE_ID);
        assertTrue(pushes.userText(APPID, "oConsumerUser06", "back").success());
    }

    @Test
    void withoutKeysTheRouteDoesNotStartAndTheErrorNamesTheOption() throws Exception {
        app.close();
        app = null;
        try (PushApp keyless = new PushApp(sandbox.baseUrl(), dir, Map.of("appid", APPID, "secret", SECRET))) {
            Exception e = assertThrows(Exception.class, keyless::start);
            String text = causes(e);
            assertTrue(text.contains("camel.component.wechat-kefu.push-token"), text);
        }
        try (PushApp badKey = new PushApp(sandbox.baseUrl(), dir, Map.of("appid", APPID, "secret", SECRET,
                "push-token", PUSH_TOKEN, "push-secret-key", "not-an-encoding-aes-key-value"))) {
            String text = causes(assertThrows(Exception.class, badKey::start));
            assertTrue(text.contains("camel.component.wechat-kefu.push-secret-key is not an EncodingAESKey"), text);
            assertFalse(text.contains("not-an-encoding-aes-key-value"), text);
        }
    }

    static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
