package dev.kefurelay.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.main.Main;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camel-main application's health checks: one producer check per configured account, opt-in as Camel's producer
 * checks are ({@code camel.health.producers-enabled}), UP once a token is obtained, DOWN for a wrong secret or a
 * quota pause, saying why without the secret.
 */
class AccountHealthCheckTest {

    private static final String APPID = "wxhealthtest000001";
    private static final String OTHER = "wxhealthtest000002";
    private static final String WRONG = "wxhealthtest000003";
    private static final String CORP = "wwhealthtest00001";
    private static final String CORP_WRONG = "wwhealthtest00002";
    private static final String PREFIX = "camel.component.wechat-kefu.";
    private static WeChatSandbox sandbox;

    @TempDir
    Path store;
    private Main main;

    @BeforeAll
    static void startSandbox() {
        sandbox = WeChatSandbox.start(0).account(APPID, "health-secret-1").account(OTHER, "health-secret-2")
                .account(WRONG, "health-secret-3");
        sandbox.wecom().corp(CORP, "health-corp-secret-1").corp(CORP_WRONG, "health-corp-secret-2");
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void resetSandbox() {
        sandbox.reset();
        main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("wechat-kefu:send");
            }
        });
        main.addInitialProperty(PREFIX + "base-url", sandbox.baseUrl());
        main.addInitialProperty(PREFIX + "store-dir", store.toString());
        main.addInitialProperty(PREFIX + "appid", APPID);
        main.addInitialProperty(PREFIX + "secret", "health-secret-1");
        main.addInitialProperty(PREFIX + "accounts[" + OTHER + "]", "health-secret-2");
        main.addInitialProperty(PREFIX + "retry-max", "0");
        // every check's result, UP ones too (by default Camel lists only those DOWN)
        main.addInitialProperty("camel.health.exposure-level", "full");
    }

    @AfterEach
    void stop() {
        main.stop();
    }

    @Test
    void eachAccountHasAProducerCheckThatIsUpOnceItsTokenIsObtained() {
        main.addInitialProperty("camel.health.producers-enabled", "true");
        main.start();
        CamelContext camel = main.getCamelContext();

        HealthCheck.Result first = awaitState(camel, APPID, HealthCheck.State.UP);
        assertTrue(Set.of("access token obtained", "access token valid").contains(first.getMessage().orElse("")),
                first.getMessage().orElse(""));
        assertEquals(APPID, first.getDetails().get("appid"));
        awaitState(camel, OTHER, HealthCheck.State.UP);
        assertFalse(first.getCheck().isLiveness(), "a token is not brought back by a restart");

        // the token is cached: the next checks and the first message cost WeChat no further token request
        assertEquals("access token valid", result(camel, APPID).orElseThrow().getMessage().orElse(""));
        camel.createProducerTemplate().requestBody("direct:in", Samples.text("after the check"), String.class);
        assertEquals(1, sandbox.tokenFetches(APPID));
        assertEquals(1, sandbox.deliveredCount());
    }

    @Test
    void aWrongSecretIsDownSayingWhyWithoutTheSecretAndIsNotAskedAgainAtEveryCheck() {
        main.addInitialProperty("camel.health.producers-enabled", "true");
        main.addInitialProperty(PREFIX + "accounts[" + WRONG + "]", "not-the-secret-of-3");
        main.addInitialProperty(PREFIX + "retry-max-delay", "1h");
        main.start();
        CamelContext camel = main.getCamelContext();

        HealthCheck.Result down = awaitState(camel, WRONG, HealthCheck.State.DOWN);
        String said = down.getMessage().orElse("") + " " + down.getDetails();
        assertTrue(said.startsWith("no access token: access token for " + WRONG + " refused: invalid appsecret "
                + "(errcode 40125)"), said);
        assertFalse(said.contains("not-the-secret-of-3"), said);
        assertFalse(said.contains("health-secret"), said);
        awaitState(camel, APPID, HealthCheck.State.UP);

        // monitors poll often and WeChat counts token requests: asked again at most once per retry-max-delay, so
        // however often the check runs now, WeChat is not asked again (how many asks it took to learn the secret is
        // wrong depends on whether the start's own token request had ended when the first check ran)
        int asked = sandbox.tokenFetches(WRONG);
        for (int i = 0; i < 5; i++) {
            assertEquals(HealthCheck.State.DOWN, result(camel, WRONG).orElseThrow().getState());
        }
        assertEquals(asked, sandbox.tokenFetches(WRONG));
        assertTrue(asked <= 2, asked + " token requests for a wrong secret");
    }

    @Test
    void anAccountPausedForItsDailyQuotaIsDownUntilWhenItResumes() {
        main.addInitialProperty("camel.health.producers-enabled", "true");
        main.start();
        CamelContext camel = main.getCamelContext();
        sandbox.failNext(45009, 1);
        assertThrows(CamelExecutionException.class, () -> camel.createProducerTemplate()
                .requestBody("direct:in", Samples.text("over the quota"), String.class));

        HealthCheck.Result paused = result(camel, APPID).orElseThrow();
        assertEquals(HealthCheck.State.DOWN, paused.getState());
        assertTrue(paused.getMessage().orElse("").startsWith("daily quota reached (45009): sending resumes at "),
                paused.getMessage().orElse(""));
        awaitState(camel, OTHER, HealthCheck.State.UP);
    }

    @Test
    void producerChecksAreListedOnlyWhenProducerChecksAreOn() {
        main.start();
        assertEquals(Optional.empty(), result(main.getCamelContext(), APPID));
        assertEquals(0, sandbox.tokenFetches(APPID));
    }

    @Test
    void theComponentOptionTurnsItsChecksOff() {
        main.addInitialProperty("camel.health.producers-enabled", "true");
        main.addInitialProperty(PREFIX + "health-check-producer-enabled", "false");
        main.start();
        HealthCheck.Result off = result(main.getCamelContext(), APPID).orElseThrow();
        assertEquals(false, off.getDetails().get(AbstractHealthCheck.CHECK_ENABLED));
        assertEquals(0, sandbox.tokenFetches(APPID));
    }

    @Test
    void anAccountAnEndpointBringsHasItsCheckToo() {
        main.addInitialProperty("camel.health.producers-enabled", "true");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:other").to("wechat-kefu:send?appid=" + WRONG + "&secret={{wrong.secret}}");
            }
        });
        main.addInitialProperty("wrong.secret", "health-secret-3");
        main.start();
        awaitState(main.getCamelContext(), WRONG, HealthCheck.State.UP);
    }

    @Test
    void eachWeComCorpHasACheckTooDownForASecretWeComRefuses() {
        main.addInitialProperty("camel.health.producers-enabled", "true");
        main.addInitialProperty(PREFIX + "wecom-base-url", sandbox.baseUrl());
        main.addInitialProperty(PREFIX + "wecom-corpid", CORP);
        main.addInitialProperty(PREFIX + "wecom-secret", "health-corp-secret-1");
        main.addInitialProperty(PREFIX + "wecom-corps[" + CORP_WRONG + "]", "not-the-corp-secret");
        main.addInitialProperty(PREFIX + "retry-max-delay", "1h");
        main.start();
        CamelContext camel = main.getCamelContext();

        HealthCheck.Result up = awaitState(camel, CORP, HealthCheck.State.UP);
        assertEquals(CORP, up.getDetails().get("corpid"));
        HealthCheck.Result down = awaitState(camel, CORP_WRONG, HealthCheck.State.DOWN);
        String said = down.getMessage().orElse("") + " " + down.getDetails();
        assertTrue(said.startsWith("no access token: WeCom access token for " + CORP_WRONG + " refused: invalid "
                + "credential") && said.contains("(errcode 40001)"), said);
        assertFalse(said.contains("not-the-corp-secret") || said.contains("health-corp-secret"), said);
        int asked = sandbox.wecom().tokenFetches(CORP_WRONG);
        for (int i = 0; i < 5; i++) {
            assertEquals(HealthCheck.State.DOWN, result(camel, CORP_WRONG).orElseThrow().getState());
        }
        assertEquals(asked, sandbox.wecom().tokenFetches(CORP_WRONG), "asked again at most once per retry-max-delay");
        awaitState(camel, APPID, HealthCheck.State.UP);
    }

    /**
     * The check's result once it is {@code state}: a check waits a few seconds for a token it asks for, then says
     * UNKNOWN while the fetch goes on (a loaded machine may take that long), and the next check reads the outcome.
     */
    private static HealthCheck.Result awaitState(CamelContext camel, String appid, HealthCheck.State state) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> result(camel, appid).orElseThrow(), r -> r.getState() == state);
    }

    private static Optional<HealthCheck.Result> result(CamelContext camel, String appid) {
        return HealthCheckHelper.invoke(camel).stream()
                .filter(r -> r.getCheck().getId().equals("producer:wechat-kefu-" + appid))
                .findFirst();
    }
}
