package dev.kefurelay.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.MessageFields;
import dev.kefurelay.message.MessageReader;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sandbox over real loopback HTTP, as the relay sees it. */
class WeChatSandboxTest {

    private static final String APPID = "wx00000000000000a1";
    private static final String SECRET = "secret-a1-do-not-log";
    private static final String COMPONENT = "wx0000000000000c01";
    private static final String COMPONENT_SECRET = "component-secret-do-not-log";
    private static final String AUTHORIZER = "wx00000000000000b1";
    private static final String FIRST_REFRESH_TOKEN = "refreshtoken@@@first-do-not-log";
    private static final String TICKET = "ticket@@@first-do-not-log";
    private static final String OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private MutableClock clock;
    private WeChatSandbox sandbox;

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        sandbox = WeChatSandbox.start(0, clock)
                .account(APPID, SECRET)
                .component(COMPONENT, COMPONENT_SECRET)
                .authorizer(AUTHORIZER, FIRST_REFRESH_TOKEN);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    // ---- /cgi-bin/token -------------------------------------------------------------------------------------

    @Test
    void clientCredentialTokenIsIssuedAndOpensCustomSend() throws Exception {
        Reply reply = get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET);

        assertEquals(200, reply.status);
        assertEquals(7200, reply.json.get("expires_in").asInt());
        String token = reply.json.get("access_token").asText();
        assertTrue(token.matches("[A-Za-z0-9_-]{32,}"), token);
        assertOk(send(token, text(OPENID, "hi")));
        assertEquals(APPID, sandbox.delivered().get(0).appid());
        assertEquals(1, sandbox.tokenFetches(APPID));
    }

    @Test
    void clientCredentialRefusesUnknownAppidWrongSecretAndWrongGrantType() throws Exception {
        assertError(40013, "invalid appid",
                get("/cgi-bin/token?grant_type=client_credential&appid=wxunknown&secret=" + SECRET));
        assertError(40125, "invalid appsecret",
                get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=wrong"));
        assertError(40002, "invalid grant_type",
                get("/cgi-bin/token?grant_type=password&appid=" + APPID + "&secret=" + SECRET));
        assertError(41002, "appid missing", get("/cgi-bin/token?grant_type=client_credential&secret=" + SECRET));

        // Failed calls count too: the relay's fetch budget is spent by them in production.
        assertEquals(2, sandbox.tokenFetches(APPID));
        assertEquals(1, sandbox.tokenFetches("wxunknown"));
    }

    @Test
    void aNewClientCredentialTokenLeavesTheOldOneFiveMinutes() throws Exception {
        String first = clientToken();
        String second = clientToken();
        assertNotEquals(first, second);

        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertOk(send(first, text(OPENID, "still in the overlap")));

        clock.advance(Duration.ofSeconds(1));
        assertError(40001, "invalid credential, access_token is invalid or not latest", send(first, text(OPENID, "late")));
        assertOk(send(second, text(OPENID, "current")));
        assertEquals(2, sandbox.deliveredCount());
    }

    @Test
    void aTokenPastItsLifetimeAnswers42001() throws Exception {
        sandbox.tokenLifetime(Duration.ofSeconds(60));
        Reply reply = get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET);
        assertEquals(60, reply.json.get("expires_in").asInt());
        String token = reply.json.get("access_token").asText();

        clock.advance(Duration.ofSeconds(59));
        assertOk(send(token, text(OPENID, "in time")));
        clock.advance(Duration.ofSeconds(1));
        assertError(42001, "access_token expired", send(token, text(OPENID, "too late")));
    }

    // ---- /cgi-bin/stable_token ------------------------------------------------------------------------------

    @Test
    void stableTokenStaysTheSameWhileMoreThanFiveMinutesRemain() throws Exception {
        Reply first = stable(false);
        clock.advance(Duration.ofHours(1));
        Reply again = stable(false);

        assertEquals(token(first), token(again));
        assertEquals(7200, first.json.get("expires_in").asInt());
        assertEquals(3600, again.json.get("expires_in").asInt());

        // At 5 minutes left a new one comes; the old one keeps working until its own expiry (they overlap).
        clock.advance(Duration.ofMinutes(55));
        Reply renewed = stable(false);
        assertNotEquals(token(first), token(renewed));
        assertEquals(7200, renewed.json.get("expires_in").asInt());
        assertOk(send(token(first), text(OPENID, "old, in the overlap")));
        clock.advance(Duration.ofMinutes(5));
        assertError(42001, "access_token expired", send(token(first), text(OPENID, "old, expired")));
        assertOk(send(token(renewed), text(OPENID, "new")));
    }

    @Test
    void stableForceRefreshReplacesTheTokenAndInvalidatesTheOldOneAtOnce() throws Exception {
        String old = token(stable(false));
        String forced = token(stable(true));

        assertNotEquals(old, forced);
        assertError(40001, "invalid credential, access_token is invalid or not latest", send(old, text(OPENID, "x")));
        assertOk(send(forced, text(OPENID, "y")));
        assertEquals(forced, token(stable(false)));
        assertEquals(3, sandbox.tokenFetches(APPID));
    }

    @Test
    void stableTokenRefusesLikeClientCredential() throws Exception {
        assertError(40013, "invalid appid", post("/cgi-bin/stable_token",
                "{\"grant_type\":\"client_credential\",\"appid\":\"wxunknown\",\"secret\":\"" + SECRET + "\"}"));
        assertError(40125, "invalid appsecret", post("/cgi-bin/stable_token",
                "{\"grant_type\":\"client_credential\",\"appid\":\"" + APPID + "\",\"secret\":\"nope\"}"));
        assertError(44002, "empty post data", post("/cgi-bin/stable_token", ""));
        assertError(47001, "data format error", post("/cgi-bin/stable_token", "appid=" + APPID));
        assertEquals(1, sandbox.tokenFetches(APPID));
    }

    @Test
    void stableAndClientCredentialTokensDoNotDisturbEachOther() throws Exception {
        String stableToken = token(stable(false));
        clientToken();
        clientToken();
        clock.advance(Duration.ofMinutes(10));

        assertOk(send(stableToken, text(OPENID, "stable untouched")));
        assertEquals(stableToken, token(stable(false)));
    }

    // ---- revoke / expire ------------------------------------------------------------------------------------

    @Test
    void revokedTokensAnswer40001AndNewOnesWork() throws Exception {
        String client = clientToken();
        String stableToken = token(stable(false));

        sandbox.revokeTokens();

        assertError(40001, "invalid credential, access_token is invalid or not latest", send(client, text(OPENID, "a")));
        assertError(40001, "invalid credential, access_token is invalid or not latest",
                send(stableToken, text(OPENID, "b")));
        assertOk(send(clientToken(), text(OPENID, "c")));
        // Revocation is WeChat-side (e.g. a reset secret): one plain stable_token call recovers, no force_refresh.
        String renewed = token(stable(false));
        assertNotEquals(stableToken, renewed);
        assertOk(send(renewed, text(OPENID, "d")));
        assertEquals(2, sandbox.deliveredCount());
    }

    @Test
    void issuedTokensListsEveryTokenButNoRefreshToken() throws Exception {
        String client = clientToken();
        String stableToken = token(stable(false));
        sandbox.verifyTicket(TICKET);
        String componentToken = componentToken(TICKET).json.get("component_access_token").asText();
        Reply authorizer = authorizerToken(componentToken, FIRST_REFRESH_TOKEN);

        assertEquals(Set.of(client, stableToken, componentToken, authorizer.json.get("authorizer_access_token").asText()),
                Set.copyOf(sandbox.issuedTokens()));
        assertFalse(sandbox.issuedTokens().contains(authorizer.json.get("authorizer_refresh_token").asText()));
    }

    @Test
    void expiredTokensAnswer42001AndStableTokenHandsOutANewOne() throws Exception {
        String client = clientToken();
        String stableToken = token(stable(false));

        sandbox.expireTokens();

        assertError(42001, "access_token expired", send(client, text(OPENID, "a")));
        assertError(42001, "access_token expired", send(stableToken, text(OPENID, "b")));
        String renewed = token(stable(false));
        assertNotEquals(stableToken, renewed);
        assertOk(send(renewed, text(OPENID, "c")));
    }

    // ---- custom/send validation -----------------------------------------------------------------------------

    static Stream<Arguments> invalidMessages() {
        String u = "\"touser\":\"" + OPENID + "\",";
        String article = "{\"title\":\"t\",\"description\":\"d\",\"url\":\"https://e.x\",\"picurl\":\"https://e.x/p.png\"}";
        return Stream.of(
                Arguments.of("empty body", "", 44002, "empty post data"),
                Arguments.of("blank body", "  \n", 44002, "empty post data"),
                Arguments.of("not JSON", "touser=x&msgtype=text", 47001, "data format error"),
                Arguments.of("JSON array", "[{}]", 47001, "data format error"),
                Arguments.of("trailing garbage", "{" + u + "\"msgtype\":\"text\",\"text\":{\"content\":\"a\"}} x",
                        47001, "data format error"),
                Arguments.of("no touser", "{\"msgtype\":\"text\",\"text\":{\"content\":\"a\"}}", 40003, "invalid openid"),
                Arguments.of("empty touser", "{\"touser\":\"\",\"msgtype\":\"text\",\"text\":{\"content\":\"a\"}}",
                        40003, "invalid openid"),
                Arguments.of("no msgtype", "{" + u + "\"text\":{\"content\":\"a\"}}", 40008, "invalid message type"),
                Arguments.of("unknown msgtype", "{" + u + "\"msgtype\":\"sticker\",\"sticker\":{}}",
                        40008, "invalid message type"),
                Arguments.of("object missing", "{" + u + "\"msgtype\":\"text\"}", 47001, "data format error"),
                Arguments.of("object not an object", "{" + u + "\"msgtype\":\"text\",\"text\":\"a\"}",
                        47001, "data format error"),
                Arguments.of("text without content", "{" + u + "\"msgtype\":\"text\",\"text\":{}}", 47001,
                        "data format error"),
                Arguments.of("text with empty content", "{" + u + "\"msgtype\":\"text\",\"text\":{\"content\":\"\"}}",
                        47001, "data format error"),
                Arguments.of("image without media_id", "{" + u + "\"msgtype\":\"image\",\"image\":{\"media_id\":null}}",
                        47001, "data format error"),
                Arguments.of("video without media_id", "{" + u + "\"msgtype\":\"video\",\"video\":"
                        + "{\"thumb_media_id\":\"m\",\"title\":\"t\",\"description\":\"d\"}}", 47001,
                        "data format error"),
                Arguments.of("music without hqmusicurl", "{" + u + "\"msgtype\":\"music\",\"music\":{\"title\":\"t\","
                        + "\"description\":\"d\",\"musicurl\":\"u\",\"thumb_media_id\":\"m\"}}", 47001,
                        "data format error"),
                Arguments.of("news with two articles", "{" + u + "\"msgtype\":\"news\",\"news\":{\"articles\":["
                        + article + "," + article + "]}}", 45008, "article size out of limit"),
                Arguments.of("news with no article", "{" + u + "\"msgtype\":\"news\",\"news\":{\"articles\":[]}}",
                        47001, "data format error"),
                Arguments.of("news article without url", "{" + u + "\"msgtype\":\"news\",\"news\":{\"articles\":"
                        + "[{\"title\":\"t\",\"description\":\"d\",\"picurl\":\"p\"}]}}", 47001, "data format error"),
                Arguments.of("mpnewsarticle without article_id", "{" + u + "\"msgtype\":\"mpnewsarticle\","
                        + "\"mpnewsarticle\":{}}", 47001, "data format error"),
                Arguments.of("msgmenu with empty list", "{" + u + "\"msgtype\":\"msgmenu\",\"msgmenu\":"
                        + "{\"head_content\":\"h\",\"list\":[],\"tail_content\":\"t\"}}", 47001, "data format error"),
                Arguments.of("msgmenu item without content", "{" + u + "\"msgtype\":\"msgmenu\",\"msgmenu\":"
                        + "{\"head_content\":\"h\",\"list\":[{\"id\":\"1\"}],\"tail_content\":\"t\"}}", 47001,
                        "data format error"),
                Arguments.of("wxcard without card_id", "{" + u + "\"msgtype\":\"wxcard\",\"wxcard\":{\"card_ext\":\"{}\"}}",
                        47001, "data format error"),
                Arguments.of("miniprogrampage without pagepath", "{" + u + "\"msgtype\":\"miniprogrampage\","
                        + "\"miniprogrampage\":{\"title\":\"t\",\"appid\":\"wxa\",\"thumb_media_id\":\"m\"}}", 47001,
                        "data format error"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("invalidMessages")
    void customSendRefusesAnInvalidMessageAndDeliversNothing(String name, String body, int errcode, String errmsg)
            throws Exception {
        assertError(errcode, errmsg, send(clientToken(), body));
        assertEquals(0, sandbox.deliveredCount());
        assertEquals(1, sandbox.sendCalls());
    }

    @Test
    void customSendChecksTheTokenBeforeTheBody() throws Exception {
        assertError(41001, "access_token missing", post("/cgi-bin/message/custom/send", text(OPENID, "a")));
        assertError(41001, "access_token missing", post("/cgi-bin/message/custom/send?access_token=", ""));
        assertError(40001, "invalid credential, access_token is invalid or not latest",
                send("not-a-token", "not even json"));
        assertEquals(3, sandbox.sendCalls());
        assertEquals(0, sandbox.deliveredCount());
    }

    static Stream<Arguments> validMessages() {
        return Stream.of(
                Arguments.of("text", "{\"content\":\"<a href=\\\"https://e.x\\\" data-miniprogram-appid=\\\"wxa\\\" "
                        + "data-miniprogram-path=\\\"pages/i\\\">open</a>\"}"),
                Arguments.of("image", "{\"media_id\":\"MEDIA\"}"),
                Arguments.of("voice", "{\"media_id\":\"MEDIA\"}"),
                Arguments.of("video", "{\"media_id\":\"M\",\"thumb_media_id\":\"T\",\"title\":\"t\",\"description\":\"d\"}"),
                Arguments.of("music", "{\"title\":\"t\",\"description\":\"d\",\"musicurl\":\"u\",\"hqmusicurl\":\"h\","
                        + "\"thumb_media_id\":\"T\"}"),
                Arguments.of("news", "{\"articles\":[{\"title\":\"t\",\"description\":\"d\",\"url\":\"u\",\"picurl\":\"p\"}]}"),
                Arguments.of("mpnews", "{\"media_id\":\"MEDIA\"}"),
                Arguments.of("mpnewsarticle", "{\"article_id\":\"ARTICLE\"}"),
                Arguments.of("msgmenu", "{\"head_content\":\"满意吗\",\"list\":[{\"id\":\"101\",\"content\":\"满意\"},"
                        + "{\"id\":\"102\",\"content\":\"不满意\"}],\"tail_content\":\"谢谢\"}"),
                Arguments.of("wxcard", "{\"card_id\":\"CARD\"}"),
                Arguments.of("miniprogrampage", "{\"title\":\"t\",\"appid\":\"wxa\",\"pagepath\":\"pages/i\","
                        + "\"thumb_media_id\":\"T\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validMessages")
    void customSendDeliversEveryMessageType(String msgtype, String object) throws Exception {
        String body = "{\"touser\":\"" + OPENID + "\",\"msgtype\":\"" + msgtype + "\",\"" + msgtype + "\":" + object
                + ",\"customservice\":{\"kf_account\":\"agent@kefu\"}}";

        assertOk(send(clientToken(), body));

        List<WeChatSandbox.Delivered> delivered = sandbox.delivered();
        assertEquals(1, delivered.size());
        assertEquals(new WeChatSandbox.Delivered(APPID, OPENID, msgtype, MAPPER.readTree(body)), delivered.get(0));
    }

    /** Each type with its required fields only, as the shared table {@link MessageFields} lists them. */
    static Stream<String> minimalMessages() {
        return MessageFields.CONTENT.keySet().stream().map(msgtype -> {
            ObjectNode body = MAPPER.createObjectNode().put("touser", OPENID).put("msgtype", msgtype);
            fill(body.putObject(msgtype), MessageFields.CONTENT.get(msgtype));
            return body.toString();
        });
    }

    private static void fill(ObjectNode object, MessageFields.Fields fields) {
        for (String field : fields.required()) {
            MessageFields.ListOf list = fields.lists().get(field);
            if (list == null) {
                object.put(field, field.toUpperCase());
            } else {
                fill(object.putArray(field).addObject(), list.entry());
            }
        }
    }

    /**
     * The sandbox once required video/music title and description, msgmenu head/tail and miniprogrampage title,
     * which the relay treats as optional: a message the relay passes got 47001 from its own sandbox.
     */
    @ParameterizedTest
    @MethodSource("minimalMessages")
    void aMessageWithOnlyTheRequiredFieldsPassesTheRelayAndTheSandbox(String body) throws Exception {
        new MessageReader("wxany").read(body, null, null);
        assertOk(send(clientToken(), body));
        assertEquals(MAPPER.readTree(body), sandbox.delivered().get(0).body());
    }

    @Test
    void repliesAreUtf8JsonAndChineseAndEmojiArriveIntact() throws Exception {
        String content = "你好，世界 😀👍🏽 — ünïcödé";
        Reply reply = send(clientToken(), text(OPENID, content));

        assertEquals("application/json; charset=utf-8", reply.contentType);
        assertOk(reply);
        assertEquals(content, sandbox.delivered().get(0).body().get("text").get("content").asText());
    }

    @Test
    void aComponentTokenCannotSendMessages() throws Exception {
        sandbox.verifyTicket(TICKET);
        String componentToken = componentToken(TICKET).json.get("component_access_token").asText();

        assertError(40001, "invalid credential, access_token is invalid or not latest",
                send(componentToken, text(OPENID, "x")));
    }

    // ---- typing ---------------------------------------------------------------------------------------------

    @Test
    void typingCommandsAreRecordedAndChecked() throws Exception {
        String token = clientToken();
        String typing = "/cgi-bin/message/custom/typing?access_token=";

        assertOk(post(typing + token, "{\"touser\":\"" + OPENID + "\",\"command\":\"Typing\"}"));
        assertOk(post(typing + token, "{\"touser\":\"" + OPENID + "\",\"command\":\"CancelTyping\"}"));
        assertError(47001, "data format error", post(typing + token, "{\"touser\":\"" + OPENID + "\",\"command\":\"Dance\"}"));
        assertError(40003, "invalid openid", post(typing + token, "{\"command\":\"Typing\"}"));
        assertError(40001, "invalid credential, access_token is invalid or not latest",
                post(typing + "nope", "{\"touser\":\"" + OPENID + "\",\"command\":\"Typing\"}"));

        assertEquals(List.of(OPENID + ":Typing", OPENID + ":CancelTyping"), sandbox.typing());
        assertEquals(0, sandbox.sendCalls());
    }

    // ---- fault injection ------------------------------------------------------------------------------------

    @Test
    void failNextAnswersTheErrcodeThatManyTimesAndDeliversNothing() throws Exception {
        String token = clientToken();
        sandbox.failNext(-1, 2);

        assertError(-1, "system error", send(token, text(OPENID, "1")));
        assertError(-1, "system error", send(token, text(OPENID, "2")));
        assertOk(send(token, text(OPENID, "3")));

        assertEquals(3, sandbox.sendCalls());
        assertEquals(1, sandbox.deliveredCount());
        assertEquals("3", sandbox.delivered().get(0).body().get("text").get("content").asText());
    }

    @Test
    void failNextUsesWeChatsTextForTheCode() throws Exception {
        sandbox.failNext(45009, 1);
        assertError(45009, "reach max api daily quota limit", send(clientToken(), text(OPENID, "x")));
    }

    @Test
    void failNextHttpAnswersTheStatusThatManyTimes() throws Exception {
        String token = clientToken();
        sandbox.failNextHttp(500, 1);
        sandbox.failNextHttp(429, 1);

        assertEquals(500, send(token, text(OPENID, "1")).status);
        assertEquals(429, send(token, text(OPENID, "2")).status);
        assertOk(send(token, text(OPENID, "3")));
        assertEquals(1, sandbox.deliveredCount());
        assertEquals(3, sandbox.sendCalls());
    }

    @Test
    void injectedFaultsComeInTheOrderTheyWereAskedFor() throws Exception {
        String token = clientToken();
        sandbox.failNext(45011, 1);
        sandbox.failNextHttp(503, 2);

        assertError(45011, "api minute-quota reach limit  mustslower  retry next minute", send(token, text(OPENID, "1")));
        assertEquals(503, send(token, text(OPENID, "2")).status);
        assertEquals(503, send(token, text(OPENID, "3")).status);
        assertOk(send(token, text(OPENID, "4")));
    }

    @Test
    void latencyDelaysEveryResponse() throws Exception {
        sandbox.latency(Duration.ofMillis(300));

        long start = System.nanoTime();
        get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET);
        get("/no/such/path");

        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 600);
    }

    @Test
    void aClientThatTimesOutUnderLatencyLeavesTheMessageDelivered() throws Exception {
        String token = clientToken();
        sandbox.latency(Duration.ofSeconds(10));

        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                        + "/cgi-bin/message/custom/send?access_token=" + token))
                .timeout(Duration.ofMillis(200))
                .POST(HttpRequest.BodyPublishers.ofString(text(OPENID, "slow"), UTF_8))
                .build();

        assertThrows(HttpTimeoutException.class, () -> HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        // The outcome the relay cannot know: WeChat took the message even though the answer never arrived.
        await().atMost(Duration.ofSeconds(5)).until(() -> sandbox.deliveredCount() == 1);
    }

    @Test
    void failAuthorizerAnswersTheErrcodeUntilLifted() throws Exception {
        sandbox.verifyTicket(TICKET);
        String componentToken = componentToken(TICKET).json.get("component_access_token").asText();
        sandbox.failAuthorizer(AUTHORIZER, 61023);

        assertError(61023, "refresh_token is invalid", authorizerToken(componentToken, FIRST_REFRESH_TOKEN));
        assertError(61023, "refresh_token is invalid", authorizerToken(componentToken, FIRST_REFRESH_TOKEN));
        // A refused call must not rotate: the stored refresh token stays the one to use once the fault is gone.
        assertEquals(FIRST_REFRESH_TOKEN, sandbox.currentRefreshToken(AUTHORIZER));

        sandbox.failAuthorizer(AUTHORIZER, 0);
        assertTrue(authorizerToken(componentToken, FIRST_REFRESH_TOKEN).json.has("authorizer_access_token"));
        assertEquals(3, sandbox.tokenFetches(AUTHORIZER));
    }

    @Test
    void resetClearsRecordsCountersFaultsAndLatencyButKeepsAccountsAndTokens() throws Exception {
        String token = clientToken();
        assertOk(send(token, text(OPENID, "before")));
        post("/cgi-bin/message/custom/typing?access_token=" + token, "{\"touser\":\"" + OPENID + "\",\"command\":\"Typing\"}");
        sandbox.failNext(-1, 5);
        sandbox.failNextHttp(500, 5);
        sandbox.failAuthorizer(AUTHORIZER, 61023);
        sandbox.latency(Duration.ofSeconds(30));
        sandbox.tokenLifetime(Duration.ofSeconds(10));

        sandbox.reset();

        assertEquals(0, sandbox.deliveredCount());
        assertEquals(List.of(), sandbox.typing());
        assertEquals(0, sandbox.sendCalls());
        assertEquals(0, sandbox.tokenFetches(APPID));
        HttpRequest quick = HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                        + "/cgi-bin/message/custom/send?access_token=" + token))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(text(OPENID, "after"), UTF_8))
                .build();
        assertOk(Reply.of(HTTP.send(quick, HttpResponse.BodyHandlers.ofString(UTF_8))));
        assertEquals(7200, get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET)
                .json.get("expires_in").asInt());
        sandbox.verifyTicket(TICKET);
        assertTrue(authorizerToken(componentToken(TICKET).json.get("component_access_token").asText(),
                FIRST_REFRESH_TOKEN).json.has("authorizer_access_token"));
    }

    // ---- third-party platform -------------------------------------------------------------------------------

    @Test
    void componentAndAuthorizerTokensWithRefreshTokenRotation() throws Exception {
        sandbox.verifyTicket(TICKET);
        Reply component = componentToken(TICKET);
        assertEquals(7200, component.json.get("expires_in").asInt());
        String componentToken = component.json.get("component_access_token").asText();

        Reply first = authorizerToken(componentToken, FIRST_REFRESH_TOKEN);
        String secondRefreshToken = first.json.get("authorizer_refresh_token").asText();
        assertNotEquals(FIRST_REFRESH_TOKEN, secondRefreshToken);
        assertEquals(secondRefreshToken, sandbox.currentRefreshToken(AUTHORIZER));
        assertEquals(7200, first.json.get("expires_in").asInt());

        assertOk(send(first.json.get("authorizer_access_token").asText(), text(OPENID, "from the authorizer")));
        assertEquals(AUTHORIZER, sandbox.delivered().get(0).appid());

        assertError(61023, "refresh_token is invalid", authorizerToken(componentToken, FIRST_REFRESH_TOKEN));
        Reply second = authorizerToken(componentToken, secondRefreshToken);
        assertNotEquals(secondRefreshToken, second.json.get("authorizer_refresh_token").asText());
        assertEquals(second.json.get("authorizer_refresh_token").asText(), sandbox.currentRefreshToken(AUTHORIZER));

        assertEquals(1, sandbox.tokenFetches(COMPONENT));
        assertEquals(3, sandbox.tokenFetches(AUTHORIZER));
    }

    @Test
    void componentTokenNeedsTheRightSecretAndTheLatestTicket() throws Exception {
        assertError(61006, "component ticket is invalid", componentToken(TICKET));

        sandbox.verifyTicket(TICKET);
        assertError(40125, "invalid appsecret", post("/cgi-bin/component/api_component_token",
                "{\"component_appid\":\"" + COMPONENT + "\",\"component_appsecret\":\"wrong\","
                        + "\"component_verify_ticket\":\"" + TICKET + "\"}"));
        assertError(61006, "component ticket is invalid", post("/cgi-bin/component/api_component_token",
                "{\"component_appid\":\"" + COMPONENT + "\",\"component_appsecret\":\"" + COMPONENT_SECRET + "\"}"));

        sandbox.verifyTicket("ticket@@@second");
        assertError(61006, "component ticket is invalid", componentToken(TICKET));
        assertTrue(componentToken("ticket@@@second").json.has("component_access_token"));
        assertEquals(5, sandbox.tokenFetches(COMPONENT));
    }

    @Test
    void authorizerTokenNeedsAValidComponentTokenAndAKnownAuthorizer() throws Exception {
        sandbox.verifyTicket(TICKET);
        String componentToken = componentToken(TICKET).json.get("component_access_token").asText();
        String body = "{\"component_appid\":\"" + COMPONENT + "\",\"authorizer_appid\":\"" + AUTHORIZER
                + "\",\"authorizer_refresh_token\":\"" + FIRST_REFRESH_TOKEN + "\"}";

        assertError(41001, "access_token missing", post("/cgi-bin/component/api_authorizer_token", body));
        assertError(40001, "invalid credential, access_token is invalid or not latest",
                post("/cgi-bin/component/api_authorizer_token?component_access_token=bogus", body));
        assertError(40001, "invalid credential, access_token is invalid or not latest",
                post("/cgi-bin/component/api_authorizer_token?component_access_token=" + clientToken(), body));
        assertError(61023, "refresh_token is invalid", post("/cgi-bin/component/api_authorizer_token"
                + "?component_access_token=" + componentToken, body.replace(AUTHORIZER, "wxnotauthorized")));
        assertEquals(FIRST_REFRESH_TOKEN, sandbox.currentRefreshToken(AUTHORIZER));
        assertNull(sandbox.currentRefreshToken("wxnotauthorized"));

        sandbox.expireTokens();
        assertError(42001, "access_token expired", authorizerToken(componentToken, FIRST_REFRESH_TOKEN));
    }

    // ---- HTTP behaviour -------------------------------------------------------------------------------------

    @Test
    void unknownPathsAnswer404() throws Exception {
        assertEquals(404, get("/cgi-bin/menu/create").status);
        assertEquals(404, post("/", "{}").status);
        assertEquals(404, post("/cgi-bin/message/custom/send/extra?access_token=x", "{}").status);
        assertEquals(0, sandbox.sendCalls());
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        assertEquals("http://127.0.0.1:" + sandbox.port(), sandbox.baseUrl());
        InetAddress external = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst().orElse(null);
        assumeTrue(external != null, "this host has no non-loopback IPv4 address to try");

        try (Socket socket = new Socket()) {
            assertThrows(ConnectException.class,
                    () -> socket.connect(new InetSocketAddress(external, sandbox.port()), 2000));
        }
    }

    @Test
    void oneConnectionServesRequestAfterRequest() throws Exception {
        try (RawConnection connection = new RawConnection(sandbox.port())) {
            String token = MAPPER.readTree(connection.get(tokenPath())).get("access_token").asText();
            for (int i = 0; i < 5; i++) {
                String reply = connection.post("/cgi-bin/message/custom/send?access_token=" + token, text(OPENID, "n" + i));
                assertEquals("{\"errcode\":0,\"errmsg\":\"ok\"}", reply);
            }
        }
        assertEquals(5, sandbox.deliveredCount());
    }

    @Test
    void keepsMoreThan200IdleConnectionsAlive() throws Exception {
        List<RawConnection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 250; i++) {
                RawConnection connection = new RawConnection(sandbox.port());
                connections.add(connection);
                connection.get(tokenPath());
            }
            // Every connection is idle now; a server that dropped some beyond its idle limit fails here.
            for (RawConnection connection : connections) {
                assertTrue(connection.get(tokenPath()).contains("access_token"));
            }
        } finally {
            for (RawConnection connection : connections) {
                connection.close();
            }
        }
        assertEquals(500, sandbox.tokenFetches(APPID));
    }

    @Test
    void twoHundredSendsFromSixteenThreadsAreAllRecorded() throws Exception {
        String token = clientToken();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String content = "message " + i;
                replies.add(pool.submit(() -> send(token, text(OPENID, content))));
            }
            for (Future<Reply> reply : replies) {
                assertOk(reply.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(200, sandbox.deliveredCount());
        assertEquals(200, sandbox.sendCalls());
        Set<String> contents = new HashSet<>();
        sandbox.delivered().forEach(d -> contents.add(d.body().get("text").get("content").asText()));
        assertEquals(IntStream.range(0, 200).mapToObj(i -> "message " + i).collect(java.util.stream.Collectors.toSet()),
                contents);
    }

    @Test
    void servesTwoHundredFiftySlowRequestsInParallel() throws Exception {
        String token = clientToken();
        sandbox.latency(Duration.ofSeconds(1));

        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
                            + "/cgi-bin/message/custom/send?access_token=" + token))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(text(OPENID, "p" + i), UTF_8))
                    .build();
            replies.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString(UTF_8)));
        }
        for (CompletableFuture<HttpResponse<String>> reply : replies) {
            assertOk(Reply.of(reply.get()));
        }

        // Served one after another by a small pool this would take 250 s / threads; 8 s allows for a slow machine
        // while still failing for any pool under ~32 threads.
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(seconds < 8, "took " + seconds + " s");
        assertEquals(250, sandbox.deliveredCount());
    }

    // ---- logging --------------------------------------------------------------------------------------------

    @Test
    void logsOneReadableLinePerDeliveryAndNeverATokenOrSecret() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(SECRET, COMPONENT_SECRET, FIRST_REFRESH_TOKEN, TICKET));
        List<String> lines;
        try (LogCapture capture = LogCapture.attach()) {
            String client = clientToken();
            String stableToken = token(stable(false));
            sandbox.verifyTicket(TICKET);
            String componentToken = componentToken(TICKET).json.get("component_access_token").asText();
            Reply authorizer = authorizerToken(componentToken, FIRST_REFRESH_TOKEN);
            secrets.addAll(List.of(client, stableToken, componentToken,
                    authorizer.json.get("authorizer_access_token").asText(),
                    authorizer.json.get("authorizer_refresh_token").asText()));

            assertOk(send(client, text(OPENID, "你好 😀")));
            assertOk(send(stableToken, text(OPENID, "x".repeat(200))));
            assertOk(send(authorizer.json.get("authorizer_access_token").asText(), text(OPENID, "line1\nFAKE line")));
            send(client, "{\"touser\":\"" + OPENID + "\",\"secret\":\"" + SECRET + "\"");
            get("/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=wrong-" + SECRET);
            post("/cgi-bin/stable_token", "{\"appid\":\"" + APPID + "\",\"secret\":\"" + SECRET + "\" broken");
            lines = capture.lines();
        }
        secrets.addAll(sandbox.issuedTokens());

        List<String> deliveries = lines.stream().filter(l -> l.contains("sandbox delivered")).toList();
        assertEquals(3, deliveries.size(), String.join("\n", lines));
        assertTrue(deliveries.get(0).contains("sandbox delivered text to oUpF…(masked) from " + APPID + ": \"你好 😀\""),
                deliveries.get(0));
        assertTrue(deliveries.get(1).contains("\"" + "x".repeat(40) + "…\""), deliveries.get(1));
        assertTrue(deliveries.get(2).contains("line1\\nFAKE line") && deliveries.get(2).contains("from " + AUTHORIZER),
                deliveries.get(2));
        for (String line : lines) {
            assertFalse(line.contains(OPENID), line);
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a secret or token in the log: " + line);
            }
        }
    }

    @Test
    void sandboxMainServesTheDemoAccount() throws Exception {
        try (WeChatSandbox demo = SandboxMain.start(0)) {
            HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create(demo.baseUrl()
                    + "/cgi-bin/token?grant_type=client_credential&appid=wxsandbox000000001&secret=sandbox-secret"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(MAPPER.readTree(reply.body()).has("access_token"), reply.body());
        }
    }

    // ---- media/upload ---------------------------------------------------------------------------------------

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'};

    @Test
    void mediaUploadChecksTypeFormatAndSizeLikeWeChat() throws Exception {
        String token = clientToken();
        Reply ok = upload(token, "image", "media", JPEG);
        assertEquals("image", ok.json.path("type").asText(), ok.body);
        assertTrue(ok.json.path("media_id").asText().startsWith("sandbox-media-image-"), ok.body);
        assertEquals(clock.instant().getEpochSecond(), ok.json.path("created_at").asLong());
        assertEquals(1, sandbox.uploads().size());
        assertEquals(JPEG.length, sandbox.uploads().get(0).bytes());

        assertError(40004, "invalid media type", upload(token, "picture", "media", JPEG));
        assertError(40005, "invalid file type", upload(token, "voice", "media", JPEG));
        assertError(40006, "invalid meida size", upload(token, "image", "media", new byte[0]));
        byte[] bigThumb = java.util.Arrays.copyOf(JPEG, 64 * 1024 + 1);
        assertError(45001, "media size out of limit", upload(token, "thumb", "media", bigThumb));
        assertError(41005, "media data missing", upload(token, "image", "file", JPEG));
        assertError(41001, "access_token missing", upload("", "image", "media", JPEG));
        assertEquals(1, sandbox.uploads().size());
    }

    @Test
    void customSendRefusesMediaIdsItDidNotIssueToTheSenderOrWhoseThreeDaysAreOver() throws Exception {
        sandbox.requireUploadedMedia(true);
        String token = clientToken();
        String id = upload(token, "image", "media", JPEG).json.path("media_id").asText();
        assertOk(send(token, image(id)));
        assertError(40007, "invalid media_id", send(token, image("made-up-id")));
        sandbox.verifyTicket(TICKET);
        String componentToken = componentToken(TICKET).json.get("component_access_token").asText();
        String authorizerToken = authorizerToken(componentToken, FIRST_REFRESH_TOKEN).json
                .get("authorizer_access_token").asText();
        assertError(40007, "invalid media_id", send(authorizerToken, image(id))); // another account's upload
        clock.advance(Duration.ofDays(3).minusSeconds(1));
        assertOk(send(clientToken(), image(id)));
        clock.advance(Duration.ofSeconds(1));
        assertError(40007, "invalid media_id", send(clientToken(), image(id)));

        sandbox.requireUploadedMedia(false);
        assertOk(send(clientToken(), image("made-up-id")));
    }

    private static String image(String mediaId) {
        return "{\"touser\":\"" + OPENID + "\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"" + mediaId + "\"}}";
    }

    /** A multipart/form-data POST with one file part, as HTTP clients send it. */
    private Reply upload(String token, String type, String field, byte[] content) throws Exception {
        String boundary = "----sandboxtest" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field
                + "\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/cgi-bin/media/upload?access_token="
                        + token + "&type=" + type))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return Reply.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8)));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private String tokenPath() {
        return "/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET;
    }

    private String clientToken() throws Exception {
        return token(get(tokenPath()));
    }

    private static String token(Reply reply) {
        assertEquals(200, reply.status);
        assertTrue(reply.json.has("access_token"), reply.body);
        return reply.json.get("access_token").asText();
    }

    private Reply stable(boolean forceRefresh) throws Exception {
        return post("/cgi-bin/stable_token", "{\"grant_type\":\"client_credential\",\"appid\":\"" + APPID
                + "\",\"secret\":\"" + SECRET + "\",\"force_refresh\":" + forceRefresh + "}");
    }

    private Reply componentToken(String ticket) throws Exception {
        return post("/cgi-bin/component/api_component_token", "{\"component_appid\":\"" + COMPONENT
                + "\",\"component_appsecret\":\"" + COMPONENT_SECRET + "\",\"component_verify_ticket\":\"" + ticket + "\"}");
    }

    private Reply authorizerToken(String componentToken, String refreshToken) throws Exception {
        return post("/cgi-bin/component/api_authorizer_token?component_access_token=" + componentToken,
                "{\"component_appid\":\"" + COMPONENT + "\",\"authorizer_appid\":\"" + AUTHORIZER
                        + "\",\"authorizer_refresh_token\":\"" + refreshToken + "\"}");
    }

    private Reply send(String token, String body) throws Exception {
        return post("/cgi-bin/message/custom/send?access_token=" + token, body);
    }

    private static String text(String touser, String content) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("touser", touser);
        message.put("msgtype", "text");
        message.putObject("text").put("content", content);
        return message.toString();
    }

    private Reply get(String pathAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return Reply.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8)));
    }

    private Reply post(String pathAndQuery, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)).build();
        return Reply.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8)));
    }

    private static void assertOk(Reply reply) {
        assertError(0, "ok", reply);
    }

    private static void assertError(int errcode, String errmsg, Reply reply) {
        assertEquals(200, reply.status, reply.body);
        assertEquals(errcode, reply.json.path("errcode").asInt(Integer.MIN_VALUE), reply.body);
        assertEquals(errmsg, reply.json.path("errmsg").asText(), reply.body);
    }

    private record Reply(int status, String contentType, String body, JsonNode json) {
        static Reply of(HttpResponse<String> response) throws IOException {
            JsonNode json = response.body().isEmpty() || response.statusCode() != 200
                    ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body(), json);
        }
    }

    /** Plain HTTP/1.1 on one socket, to see for certain that the server keeps the connection open. */
    private static final class RawConnection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        RawConnection(int port) throws IOException {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        String get(String pathAndQuery) throws IOException {
            return exchange("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", new byte[0]);
        }

        String post(String pathAndQuery, String body) throws IOException {
            byte[] bytes = body.getBytes(UTF_8);
            return exchange("POST " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n", bytes);
        }

        private String exchange(String head, byte[] body) throws IOException {
            out.write(head.getBytes(UTF_8));
            out.write(body);
            out.flush();
            String statusLine = readLine();
            assertTrue(statusLine.startsWith("HTTP/1.1 200"), statusLine);
            int length = -1;
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            assertTrue(length >= 0, "no Content-Length: the connection could not be kept alive");
            return new String(in.readNBytes(length), UTF_8);
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Everything any logger emits while open, at every level, whatever the project's log configuration says. */
    private static final class LogCapture extends AbstractAppender implements AutoCloseable {
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final LoggerContext context = LoggerContext.getContext(false);
        private Level rootLevel;

        private LogCapture() {
            super("sandbox-log-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        static LogCapture attach() {
            LogCapture capture = new LogCapture();
            capture.start();
            Configuration config = capture.context.getConfiguration();
            LoggerConfig root = config.getRootLogger();
            capture.rootLevel = root.getLevel();
            root.addAppender(capture, Level.ALL, null);
            root.setLevel(Level.ALL);
            // Loggers configured below the root would not pass events up at ALL; this test owns none of them.
            config.getLoggers().values().forEach(logger -> {
                if (logger != root) {
                    logger.addAppender(capture, Level.ALL, null);
                }
            });
            capture.context.updateLoggers();
            return capture;
        }

        @Override
        public void append(LogEvent event) {
            StringBuilder line = new StringBuilder()
                    .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(' ')
                    .append(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                StringWriter trace = new StringWriter();
                event.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            lines.add(line.toString());
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void close() {
            Configuration config = context.getConfiguration();
            config.getLoggers().values().forEach(logger -> logger.removeAppender(getName()));
            config.getRootLogger().removeAppender(getName());
            config.getRootLogger().setLevel(rootLevel);
            context.updateLoggers();
            stop();
        }
    }

    /** Time under the test's control, so the 5-minute and 2-hour rules are tested without waiting. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
