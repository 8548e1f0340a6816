package dev.kefurelay.component;


import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.kefurelay.message.AccountKind;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.TempDirs;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One component sending for an Official Account and a Mini Program at once, over real HTTP to a sandbox of the test
 * class's, which knows which is which: the sandbox lives as long as the class (reset before each test), the
 * DefaultCamelContext with only wechat-kefu as long as a test, its store in a folder of its own. Register it on a
 * static field:
 * <pre>
 * &#64;RegisterExtension
 * static final TwoKindsCamel kinds = new TwoKindsCamel();
 * </pre>
 */
final class TwoKindsCamel implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    static final String OFFICIAL = "wxcomponentoa00001";
    static final String OFFICIAL_SECRET = "component-oa-secret";
    static final String MINI = "wxcomponentmini001";
    static final String MINI_SECRET = "component-mini-secret";

    private WeChatSandbox sandbox;
    private Path store;
    private CamelContext camel;
    private ProducerTemplate template;

    @Override
    public void beforeAll(ExtensionContext context) {
        sandbox = WeChatSandbox.start(0).account(OFFICIAL, OFFICIAL_SECRET).account(MINI, MINI_SECRET)
                .kind(MINI, AccountKind.MINIPROGRAM);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        sandbox.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        sandbox.reset();
        store = Files.createTempDirectory("kefu-kinds");
        WeChatKefuComponent wechat = new WeChatKefuComponent();
        WeChatKefuComponentConfiguration options = wechat.getConfiguration();
        options.setBaseUrl(sandbox.baseUrl());
        options.setAppid(OFFICIAL);
        options.setSecret(OFFICIAL_SECRET);
        options.setAccounts(Map.of(MINI, MINI_SECRET));
        options.setAccountKinds(Map.of(MINI, "miniprogram"));
        options.setRetryDelay(Duration.ofMillis(20));
        options.setStoreDir(store.resolve("default").toString());
        camel = new DefaultCamelContext();
        camel.addComponent("wechat-kefu", wechat);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            camel.close();
            sandbox.enforceWindow(false);
        } finally {
            TempDirs.deleteQuietly(store);
        }
    }

    WeChatSandbox sandbox() {
        return sandbox;
    }

    CamelContext camel() {
        return camel;
    }

    ProducerTemplate template() {
        return template;
    }

    /** A folder of the test's for a second component's store. */
    Path store(String name) {
        return store.resolve(name);
    }

    /** Sends {@code body} for the account {@code appid}, its failure as the outcome. */
    Exchange send(String appid, String body) {
        return template.request("wechat-kefu:send?failure=outcome", e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeader(KefuHeaders.APP_ID, appid);
        });
    }
}
