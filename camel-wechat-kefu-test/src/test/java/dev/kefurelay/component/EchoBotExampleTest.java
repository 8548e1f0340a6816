package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kefurelay.LogCapture;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/echo-bot end to end: the YAML route, unchanged, in a camel-main application with the component configured
 * by properties; the sandbox pushes a user's text to the source Kamelet over real HTTP, the route answers through
 * the sink Kamelet, and the sandbox records the answer.
 */
class EchoBotExampleTest {

    static final String APPID = "wxechobotaccount01";
    static final String SECRET = "echo-bot-secret-value";
    static final String PUSH_TOKEN = "echoBotPushToken1";
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    @TempDir
    Path dir;
    WeChatSandbox sandbox;
    PushApp app;
    LogCapture logs;
    Pushes pushes;
    final Set<String> secrets = new LinkedHashSet<>(List.of(SECRET, PUSH_TOKEN, AES_KEY));

    /** The example's route file, from the repository's root or from this module's folder. */
    static Path example(String file) {
        for (String base : List.of("examples", "../examples")) {
            Path p = Path.of(base, file);
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("examples/" + file + " not found from " + Path.of("").toAbsolutePath());
    }

    @BeforeEach
    void start() throws Exception {
        logs = LogCapture.everyLevel();
        sandbox = WeChatSandbox.start(0).account(APPID, SECRET).enforceWindow(true);
        app = new PushApp(sandbox.baseUrl(), dir, Map.of("appid", APPID, "secret", SECRET, "push-token", PUSH_TOKEN,
                "push-secret-key", AES_KEY, "camel.main.routes-include-pattern",
                "file:" + example("echo-bot/echo-bot.camel.yaml")), new RouteBuilder() {
                    @Override
                    public void configure() {
                        // the example's YAML is the application's only route
                    }
                }).start();
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
        PushConsumerTest.assertNoSecretLogged(logs, secrets);
    }

    @Test
    void aUsersTextIsAnsweredWithTheSameTextFromTheAccountThatReceivedIt() {
        Pushes.Result r = pushes.userText(APPID, "oEchoUser0000001", "你好，机器人 & friends");
        assertTrue(r.success(), r.toString());
        // the route ran before WeChat was answered: the answer is delivered already
        assertEquals(1, sandbox.delivered().size());
        WeChatSandbox.Delivered answer = sandbox.delivered().get(0);
        assertEquals(APPID, answer.appid());
        assertEquals("oEchoUser0000001", answer.touser());
        assertEquals("text", answer.msgtype());
        assertEquals("你好，机器人 & friends", answer.body().path("text").path("content").asText());
    }

    @Test
    void anEventIsAnsweredSuccessAndNotEchoed() {
        assertTrue(pushes.userFollowed(APPID, "oEchoUser0000002").success());
        assertEquals(0, sandbox.delivered().size());
    }
}
