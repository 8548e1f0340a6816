package dev.kefurelay.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The sandbox over real loopback HTTP, as the relay sees it: one sandbox per test with a plain account, a third-party
 * platform and one of its authorizers, on a clock the test moves; and the calls a test makes to it. One test class
 * per API extends it.
 */
abstract class SandboxTestSupport {

    static final String APPID = "wx00000000000000a1";
    static final String SECRET = "secret-a1-do-not-log";
    static final String COMPONENT = "wx0000000000000c01";
    static final String COMPONENT_SECRET = "component-secret-do-not-log";
    static final String AUTHORIZER = "wx00000000000000b1";
    static final String FIRST_REFRESH_TOKEN = "refreshtoken@@@first-do-not-log";
    static final String TICKET = "ticket@@@first-do-not-log";
    static final String OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    MutableClock clock;
    WeChatSandbox sandbox;

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

    // ---- the calls a test makes ---------------------------------------------------------------------------

    String tokenPath() {
        return "/cgi-bin/token?grant_type=client_credential&appid=" + APPID + "&secret=" + SECRET;
    }

    String clientToken() throws Exception {
        return token(get(tokenPath()));
    }

    static String token(Reply reply) {
        assertEquals(200, reply.status());
        assertTrue(reply.json().has("access_token"), reply.body());
        return reply.json().get("access_token").asText();
    }

    Reply stable(boolean forceRefresh) throws Exception {
        return post("/cgi-bin/stable_token", "{\"grant_type\":\"client_credential\",\"appid\":\"" + APPID
                + "\",\"secret\":\"" + SECRET + "\",\"force_refresh\":" + forceRefresh + "}");
    }

    Reply componentToken(String ticket) throws Exception {
        return post("/cgi-bin/component/api_component_token", "{\"component_appid\":\"" + COMPONENT
                + "\",\"component_appsecret\":\"" + COMPONENT_SECRET + "\",\"component_verify_ticket\":\"" + ticket + "\"}");
    }

    Reply authorizerToken(String componentToken, String refreshToken) throws Exception {
        return post("/cgi-bin/component/api_authorizer_token?component_access_token=" + componentToken,
                "{\"component_appid\":\"" + COMPONENT + "\",\"authorizer_appid\":\"" + AUTHORIZER
                        + "\",\"authorizer_refresh_token\":\"" + refreshToken + "\"}");
    }

    Reply send(String token, String body) throws Exception {
        return post("/cgi-bin/message/custom/send?access_token=" + token, body);
    }

    Reply templateSend(String token, String body) throws Exception {
        return post("/cgi-bin/message/template/send?access_token=" + token, body);
    }

    Reply bizsend(String token, String body) throws Exception {
        return post("/cgi-bin/message/subscribe/bizsend?access_token=" + token, body);
    }

    static String text(String touser, String content) {
        ObjectNode message = MAPPER.createObjectNode();
        message.put("touser", touser);
        message.put("msgtype", "text");
        message.putObject("text").put("content", content);
        return message.toString();
    }

    Reply get(String pathAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return Reply.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8)));
    }

    Reply post(String pathAndQuery, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)).build();
        return Reply.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString(UTF_8)));
    }

    static void assertOk(Reply reply) {
        assertError(0, "ok", reply);
    }

    static void assertError(int errcode, String errmsg, Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        assertEquals(errcode, reply.json().path("errcode").asInt(Integer.MIN_VALUE), reply.body());
        assertEquals(errmsg, reply.json().path("errmsg").asText(), reply.body());
    }

    record Reply(int status, String contentType, String body, JsonNode json) {
        static Reply of(HttpResponse<String> response) throws IOException {
            JsonNode json = response.body().isEmpty() || response.statusCode() != 200
                    ? MAPPER.createObjectNode() : MAPPER.readTree(response.body());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body(), json);
        }
    }
}
