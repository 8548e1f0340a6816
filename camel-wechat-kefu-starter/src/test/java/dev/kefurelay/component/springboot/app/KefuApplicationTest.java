package dev.kefurelay.component.springboot.app;

import dev.kefurelay.testkit.TempDirs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.Samples;
import dev.kefurelay.component.KefuHeaders;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.apache.camel.ProducerTemplate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A Spring Boot application with the starter, its application.properties (the secrets from the environment) and a
 * YAML route {@code to: wechat-kefu:send}: it sends through the sandbox, its {@code /actuator/health} is UP with
 * each account's producer check, and the secrets are masked in {@code /actuator/configprops} and
 * {@code /actuator/env}, though these show values.
 */
@SpringBootTest(classes = KefuApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class KefuApplicationTest {

    private static final String APPID = "wxspringboot000001";
    private static final String OTHER = "wxspringboot000002";
    private static final String SECRET = "spring-boot-secret-of-the-first";
    private static final String OTHER_SECRET = "spring-boot-secret-of-the-second";
    /** What the deployment's environment holds: set before the application starts, taken back after. */
    private static final List<String> ENVIRONMENT = List.of("WECHAT_API_URL", "WECHAT_KEFU_SECRET",
            "WECHAT_KEFU_SECRET_2", "KEFU_STORE_DIR");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static WeChatSandbox sandbox;
    private static Path store;

    @LocalServerPort
    int port;
    @Autowired
    ProducerTemplate template;

    @BeforeAll
    static void environment() throws IOException {
        sandbox = WeChatSandbox.start(0).account(APPID, SECRET).account(OTHER, OTHER_SECRET);
        store = Files.createTempDirectory("kefu-store");
        System.setProperty("WECHAT_API_URL", sandbox.baseUrl());
        System.setProperty("WECHAT_KEFU_SECRET", SECRET);
        System.setProperty("WECHAT_KEFU_SECRET_2", OTHER_SECRET);
        System.setProperty("KEFU_STORE_DIR", store.toString());
    }

    @AfterAll
    static void cleanUp() throws IOException {
        ENVIRONMENT.forEach(System::clearProperty);
        sandbox.close();
        TempDirs.deleteQuietly(store);
    }

    @Test
    void theYamlRouteSendsThroughTheSandboxForEachAccount() {
        assertEquals("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}",
                template.requestBody("direct:kefu", Samples.text("hello from spring boot"), String.class));
        assertEquals("{\"errcode\":0,\"errmsg\":\"ok\",\"channel\":\"custom\"}", template.requestBodyAndHeader("direct:kefu",
                Samples.text("from the other account"), KefuHeaders.APP_ID, OTHER, String.class));

        List<WeChatSandbox.Delivered> delivered = sandbox.delivered();
        assertEquals(2, delivered.size(), delivered.toString());
        assertEquals(APPID, delivered.get(0).appid());
        assertEquals("hello from spring boot", delivered.get(0).body().path("text").path("content").asText());
        assertEquals(OTHER, delivered.get(1).appid());
    }

    @Test
    void healthIsUpWithTheProducerCheckOfEachAccount() throws Exception {
        // a check that asks for its account's token waits a few seconds for it, then says UNKNOWN while it comes
        HttpResponse<String> response = Awaitility.await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    HttpResponse<String> r = get("/actuator/health");
                    JsonNode checks = JSON.readTree(r.body()).path("components").path("camelHealth").path("details");
                    boolean up = "UP".equals(checks.path("producer:wechat-kefu-" + APPID).asText())
                            && "UP".equals(checks.path("producer:wechat-kefu-" + OTHER).asText());
                    return up ? r : null;
                }, Objects::nonNull);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode health = JSON.readTree(response.body());
        assertEquals("UP", health.path("status").asText(), response.body());
        JsonNode camel = health.path("components").path("camelHealth").path("details");
        assertEquals(APPID, camel.path("producer:wechat-kefu-" + APPID + ".data").path("appid").asText(),
                response.body());
        assertNoSecretIn(response.body());
    }

    @Test
    void theSecretsAreMaskedInConfigpropsWhichShowsTheOtherValues() throws Exception {
        HttpResponse<String> response = get("/actuator/configprops");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode bean = JSON.readTree(response.body()).path("contexts").findValue(
                "camel.component.wechat-kefu-dev.kefurelay.component.springboot.WeChatKefuComponentConfiguration");
        JsonNode properties = bean.path("properties");
        assertEquals(APPID, properties.path("appid").asText(), bean.toString());
        assertEquals(sandbox.baseUrl(), properties.path("baseUrl").asText(), bean.toString());
        assertEquals("******", properties.path("secret").asText(), bean.toString());
        assertEquals(Map.of(OTHER, "******"), JSON.convertValue(properties.path("accounts"), Map.class));
        assertEquals("******", bean.path("inputs").path("secret").path("value").asText(), bean.toString());
        assertEquals("******", bean.path("inputs").path("accounts").path(OTHER).path("value").asText(),
                bean.toString());
        assertNoSecretIn(response.body());
    }

    @Test
    void theEnvironmentTheSecretsCameFromIsMaskedToo() throws Exception {
        HttpResponse<String> response = get("/actuator/env");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("WECHAT_KEFU_SECRET"), "the key is listed, its value masked");
        assertNoSecretIn(response.body());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertNoSecretIn(String body) {
        assertFalse(body.contains(SECRET), "the first account's secret shows");
        assertFalse(body.contains(OTHER_SECRET), "the second account's secret shows");
    }
}
