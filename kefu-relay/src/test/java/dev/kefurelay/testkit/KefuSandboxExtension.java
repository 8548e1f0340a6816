package dev.kefurelay.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kefurelay.KefuRelay;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.util.function.ThrowingConsumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension for tests of routes that send through kefu-relay: a fake WeChat (the sandbox) on a free
 * loopback port, and a relay wired to it with a demo account, its embedded broker on a free port and its
 * folders in a temp dir. Every test starts with a clean sandbox (nothing delivered, no faults).
 *
 * <pre>{@code
 * @RegisterExtension
 * static KefuSandboxExtension wechat = new KefuSandboxExtension()
 *         .withRoutes("classpath:routes/my-route.camel.yaml");
 *
 * @Test
 * void sends() {
 *     wechat.template().sendBody("direct:start", "...");
 *     assertEquals(1, wechat.delivered().size());
 * }
 * }</pre>
 *
 * Register it on a {@code static} field: sandbox and relay then live for the whole class (a relay takes about a
 * second to start). On an instance field they live for one test. Retries are quick (3 retries, 10 ms apart) so
 * fault tests stay fast; {@link #withProperty} changes that and any other {@code kefu.*} or {@code camel.*}
 * setting. {@link #withoutRelay()} starts only the sandbox, for a test that starts the relay itself with
 * {@link #properties()}.
 */
public final class KefuSandboxExtension
        implements SandboxControl, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** The demo account the sandbox knows and the relay sends from by default. */
    public static final String DEMO_APPID = "wxdemo0000000000001";
    public static final String DEMO_SECRET = "demo-secret-for-the-sandbox-only";

    /** The relay's own edge routes, kept when routes are added. */
    private static final String RELAY_ROUTES = "file:routes/*.camel.yaml";
    public static final int RETRIES = 3;

    private final Map<String, String> extra = new LinkedHashMap<>();
    private final List<String> routes = new java.util.ArrayList<>();
    private boolean relayWanted = true;

    private WeChatSandbox sandbox;
    private KefuRelay relay;
    private Path dir;
    private boolean perClass;

    /** Loads these routes into the relay too (a camel-main routes pattern: {@code classpath:}, {@code file:}). */
    public KefuSandboxExtension withRoutes(String routesPattern) {
        routes.add(routesPattern);
        return this;
    }

    /**
     * These routes (ids, comma-separated patterns allowed) do not start with the relay, so a test can advise
     * them first: their real consumer (a JMS listener, a file poller) never runs. {@link #adviceWith} starts them.
     */
    public KefuSandboxExtension withRoutesStopped(String routeIds) {
        extra.put("camel.main.auto-startup-exclude-pattern", routeIds);
        return this;
    }

    /** A relay setting, e.g. {@code kefu.wechat.read-timeout} or a placeholder your routes use. */
    public KefuSandboxExtension withProperty(String key, String value) {
        extra.put(key, value);
        return this;
    }

    /** Only the sandbox: the test starts its relay itself, with {@link #properties()}. */
    public KefuSandboxExtension withoutRelay() {
        relayWanted = false;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (sandbox == null) {
            start();
        }
        sandbox.reset();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void start() throws Exception {
        dir = TempDirs.create("kefu-testkit");
        sandbox = WeChatSandbox.start(0).account(DEMO_APPID, DEMO_SECRET);
        if (relayWanted) {
            try {
                relay = KefuRelay.start(properties());
            } catch (Exception | Error e) {
                stop();
                throw e;
            }
        }
    }

    private void stop() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
        if (dir != null) {
            TempDirs.deleteQuietly(dir);
            dir = null;
        }
    }

    /**
     * Relay settings for a test against a sandbox at {@code baseUrl}: this account, folders under {@code dir},
     * free ports, and quick retries ({@value #RETRIES} of them, 10 ms doubling to 40 ms).
     */
    public static Map<String, String> sandboxProperties(Path dir, String baseUrl, String appid, String secret) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("kefu.wechat.base-url", baseUrl);
        p.put("kefu.appid", appid);
        p.put("kefu.secret", secret);
        p.put("kefu.retry.max", String.valueOf(RETRIES));
        p.put("kefu.retry.delay", "10ms");
        p.put("kefu.retry.max-delay", "40ms");
        p.put("kefu.inbox.dir", dir.resolve("inbox").toString());
        p.put("kefu.media.dir", dir.resolve("media").toString());
        p.put("kefu.store.dir", dir.resolve("store").toString());
        p.put("kefu.broker.data-dir", dir.resolve("broker").toString());
        p.put("kefu.broker.port", "0");
        p.put("kefu.http.port", "0");
        return p;
    }

    /**
     * The relay settings that point at this sandbox: {@code kefu.wechat.base-url}, the demo account, folders in
     * a temp dir, free ports, quick retries, the added routes and properties.
     */
    public Map<String, String> properties() {
        requireStarted();
        Map<String, String> p = sandboxProperties(dir, sandbox.baseUrl(), DEMO_APPID, DEMO_SECRET);
        if (!routes.isEmpty()) {
            p.put("camel.main.routes-include-pattern", RELAY_ROUTES + "," + String.join(",", routes));
        }
        p.putAll(extra);
        return p;
    }

    // ---- what a test does with the relay

    public KefuRelay relay() {
        requireStarted();
        if (relay == null) {
            throw new IllegalStateException("no relay: this extension was built withoutRelay()");
        }
        return relay;
    }

    public CamelContext camelContext() {
        return relay().camel();
    }

    /**
     * Camel's {@link AdviceWith} on one route of the relay, then starts that route (it may have been held back
     * with {@link #withRoutesStopped}).
     */
    public void adviceWith(String routeId, ThrowingConsumer<AdviceWithRouteBuilder, Exception> advice) throws Exception {
        AdviceWith.adviceWith(camelContext(), routeId, advice);
        camelContext().getRouteController().startRoute(routeId);
    }

    public ProducerTemplate template() {
        return relay().template();
    }

    /** The relay's JMS broker URL (the embedded broker on a free port). */
    public String brokerUrl() {
        return relay().broker().url();
    }

    /** A folder in this extension's temp dir, created, for file routes under test. */
    public Path folder(String name) {
        requireStarted();
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- what WeChat saw, and faults: SandboxControl's

    /** The sandbox itself, for the rarer controls (HTTP failures, token lifetimes, more accounts). */
    @Override
    public WeChatSandbox sandbox() {
        requireStarted();
        return sandbox;
    }

    private void requireStarted() {
        if (sandbox == null) {
            throw new IllegalStateException("KefuSandboxExtension is not running: register it with "
                    + "@RegisterExtension and use it inside a test");
        }
    }
}
