package dev.kefurelay.send;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.kefurelay.Samples;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.store.SecretStore;
import dev.kefurelay.testkit.RelayFixture;
import dev.kefurelay.testkit.TestRelays;

/**
 * The platform of the kefu.token.mode=component tests: the sandbox as its WeChat (the platform with its ticket, three
 * authorizers with their first refresh tokens) and the relay's settings for it, its store in a folder of the test.
 */
final class ComponentPlatform {

    static final String COMPONENT = "wxcomponenttest001";
    static final String COMPONENT_SECRET = "component-secret-value-1";
    static final String TICKET = "ticket@@@initial-ticket-value";
    static final List<String> AUTHORIZERS = List.of("wxauthorizer000001", "wxauthorizer000002", "wxauthorizer000003");

    private ComponentPlatform() {
    }

    /**
     * The sandbox, started and closed by the fixture. None of the platform's keys, nothing the test adds to
     * {@code secrets}, and no authorizer's last refresh token may reach the log.
     */
    static WeChatSandbox start(RelayFixture fixture, Set<String> secrets) {
        WeChatSandbox sandbox = fixture.sandbox(WeChatSandbox.start(0).component(COMPONENT, COMPONENT_SECRET));
        sandbox.verifyTicket(TICKET);
        for (String appid : AUTHORIZERS) {
            sandbox.authorizer(appid, seed(appid));
            secrets.add(seed(appid));
        }
        secrets.add(COMPONENT_SECRET);
        secrets.add(TICKET);
        fixture.secrets(() -> secrets)
                .secrets(() -> AUTHORIZERS.stream().map(sandbox::currentRefreshToken).toList());
        return sandbox;
    }

    /** A relay in mode component with the platform and authorizers above, its folders under {@code dir}. */
    static Map<String, String> properties(Path dir, WeChatSandbox sandbox) {
        Map<String, String> p = new LinkedHashMap<>(TestRelays.properties(dir, sandbox, Map.of()));
        p.remove("kefu.appid");
        p.remove("kefu.secret");
        p.put("kefu.token.mode", "component");
        p.put("kefu.component.appid", COMPONENT);
        p.put("kefu.component.secret", COMPONENT_SECRET);
        p.put("kefu.component.ticket", TICKET);
        for (String appid : AUTHORIZERS) {
            p.put("kefu.authorizers." + appid + ".refresh-token", seed(appid));
        }
        return p;
    }

    static String seed(String appid) {
        return "seed-refresh-token-of-" + appid;
    }

    /** A text message sent from the authorizer {@code appid}. */
    static String from(String appid, String text) {
        return "{\"appid\":\"" + appid + "\"," + Samples.text(text).substring(1);
    }

    /** What the relay's store folder under {@code dir} holds: the files, not the relay's memory. */
    static Optional<String> stored(Path dir, String key) {
        return SecretStore.peek(dir.resolve("store"), key);
    }
}
