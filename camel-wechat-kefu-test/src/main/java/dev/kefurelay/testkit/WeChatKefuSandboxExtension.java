package dev.kefurelay.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.kefurelay.component.WeChatKefuComponent;
import dev.kefurelay.component.WeChatKefuComponentConfiguration;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fake WeChat API for route tests that use the {@code wechat-kefu} component: the sandbox on a free loopback port,
 * with one demo account ({@link #APPID}) and one WeCom corp with a kf account ({@link #CORPID}, {@link #OPEN_KFID}),
 * and the component of the test's own CamelContext pointed at it. No relay, broker or HTTP server of the application
 * is started.
 * <pre>
 * &#64;RegisterExtension
 * static final WeChatKefuSandboxExtension wechat = new WeChatKefuSandboxExtension();
 * </pre>
 * Registered on a static field it starts once per class and is reset before each test; on an instance field it
 * starts for each test. How the component is pointed at it:
 * <ul>
 * <li>camel-main ({@code @CamelMainTest}) and Spring Boot tests: the extension sets the
 *     {@code camel.component.wechat-kefu.*} system properties ({@link #properties()}) while it runs, which camel-main
 *     applies to the component as it would the same keys of {@code application.properties};</li>
 * <li>{@code CamelTestSupport} or any plain CamelContext: call {@link #configure(CamelContext)} before the context
 *     starts (e.g. in {@code createCamelContext()}).</li>
 * </ul>
 * Retries are quick (10 ms, doubling to 40 ms, {@link #RETRIES} times), so failure paths finish fast. Each test's
 * component keeps its state (delivered ids, the window book) in a new temporary folder, removed afterwards, so that
 * no test meets what an earlier test or build left. What WeChat
 * took and the faults to inject are {@link SandboxControl}'s. WeChat's customer-service window is kept but not enforced
 * unless asked ({@link #withWindowEnforced()} for every test, {@link #enforceWindow} for one), so that sending to a
 * user who never wrote works as most route tests expect.
 */
public final class WeChatKefuSandboxExtension
        implements SandboxControl, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** The sandbox's demo account. */
    public static final String APPID = "wxkefusandbox000001";
    public static final String SECRET = "sandbox-secret-for-tests-only";
    /** The sandbox's demo WeCom corp, the secret of its 微信客服 app, and one of its kf accounts. */
    public static final String CORPID = SandboxWeCom.DEMO_CORPID;
    public static final String CORP_SECRET = SandboxWeCom.DEMO_CORP_SECRET;
    public static final String OPEN_KFID = SandboxWeCom.DEMO_OPEN_KFID;
    public static final int RETRIES = 3;
    private static final String PREFIX = "camel.component.wechat-kefu.";

    private WeChatSandbox sandbox;
    private boolean perTest;
    private boolean windowEnforced;
    private final Map<String, String> previous = new LinkedHashMap<>();
    private final List<Path> storeDirs = new ArrayList<>();
    private Path storeDir;

    /**
     * Every test of the class meets WeChat's window: custom/send to a user who never wrote answers 45015, the 6th
     * message after a user's message 45047 (users open windows with {@link #userWrote}, {@link #userClicked}, …).
     */
    public WeChatKefuSandboxExtension withWindowEnforced() {
        windowEnforced = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (sandbox == null) {
            perTest = true;
            start();
        } else {
            sandbox.reset();
            // a test that changed it for itself leaves the next one the class's setting
            sandbox.enforceWindow(windowEnforced);
            newStoreDir();
            System.setProperty(PREFIX + "store-dir", storeDir.toString());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The component settings that point at this sandbox, as {@code camel.component.wechat-kefu.*} keys. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(PREFIX + "base-url", baseUrl());
        p.put(PREFIX + "appid", APPID);
        p.put(PREFIX + "secret", SECRET);
        p.put(PREFIX + "wecom-base-url", baseUrl());
        p.put(PREFIX + "wecom-corpid", CORPID);
        p.put(PREFIX + "wecom-secret", CORP_SECRET);
        p.put(PREFIX + "retry-max", String.valueOf(RETRIES));
        p.put(PREFIX + "retry-delay", "10ms");
        p.put(PREFIX + "retry-max-delay", "40ms");
        p.put(PREFIX + "store-dir", storeDir.toString());
        return p;
    }

    /** Points the {@code wechat-kefu} component of this context at the sandbox; call it before the context starts. */
    public WeChatKefuComponent configure(CamelContext context) {
        WeChatKefuComponent component = context.getComponent("wechat-kefu", WeChatKefuComponent.class);
        WeChatKefuComponentConfiguration options = component.getConfiguration();
        options.setBaseUrl(baseUrl());
        options.setAppid(APPID);
        options.setSecret(SECRET);
        options.setWecomBaseUrl(baseUrl());
        options.setWecomCorpid(CORPID);
        options.setWecomSecret(CORP_SECRET);
        options.setRetryMax(RETRIES);
        options.setRetryDelay(Duration.ofMillis(10));
        options.setRetryMaxDelay(Duration.ofMillis(40));
        options.setStoreDir(storeDir.toString());
        return component;
    }

    public String baseUrl() {
        return running().baseUrl();
    }

    /** The sandbox itself, for the rarer controls (more accounts, component mode, ...). */
    @Override
    public WeChatSandbox sandbox() {
        return running();
    }

    private WeChatSandbox running() {
        if (sandbox == null) {
            throw new IllegalStateException("the WeChat sandbox runs only while a test of its class runs: register "
                    + "the extension with @RegisterExtension");
        }
        return sandbox;
    }

    private void newStoreDir() {
        try {
            storeDir = Files.createTempDirectory("wechat-kefu-store");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary store folder for the component", e);
        }
        storeDirs.add(storeDir);
    }

    private void start() {
        newStoreDir();
        sandbox = WeChatSandbox.start(0).account(APPID, SECRET).enforceWindow(windowEnforced);
        sandbox.wecom().corp(CORPID, CORP_SECRET).kfAccount(CORPID, OPEN_KFID);
        properties().forEach((key, value) -> {
            previous.put(key, System.getProperty(key));
            System.setProperty(key, value);
        });
    }

    private void stop() {
        if (sandbox == null) {
            return;
        }
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        previous.clear();
        sandbox.close();
        sandbox = null;
        storeDirs.forEach(TempDirs::deleteQuietly);
        storeDirs.clear();
    }

}
