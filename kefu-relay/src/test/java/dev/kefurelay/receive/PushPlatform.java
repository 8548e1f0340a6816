package dev.kefurelay.receive;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.testkit.RelayFixture;
import dev.kefurelay.testkit.TestRelays;

/**
 * The platform of the push tests in mode component: the sandbox as its WeChat, which encrypts and signs pushes with
 * the push token and AES key below, and the relay's settings for it.
 */
final class PushPlatform {

    static final String COMPONENT = "wxcomponentpush01";
    static final String COMPONENT_SECRET = "component-secret-push-1";
    static final String TICKET = "ticket@@@initial-push-ticket";
    static final String PUSH_TOKEN = "push-token-value-1";
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final List<String> AUTHORIZERS = List.of("wxpushauthorizer01", "wxpushauthorizer02");

    private PushPlatform() {
    }

    /**
     * The sandbox as the platform's WeChat: the platform with its ticket, the authorizers with their first refresh
     * tokens. None of its keys, nothing the test adds to {@code secrets}, and no authorizer's last refresh token may
     * reach the log.
     */
    static WeChatSandbox platform(RelayFixture fixture, Set<String> secrets) {
        WeChatSandbox sandbox = fixture.sandbox(WeChatSandbox.start(0).component(COMPONENT, COMPONENT_SECRET));
        sandbox.verifyTicket(TICKET);
        secrets.addAll(List.of(COMPONENT_SECRET, TICKET, PUSH_TOKEN, AES_KEY));
        for (String appid : AUTHORIZERS) {
            sandbox.authorizer(appid, "seed-" + appid);
            secrets.add("seed-" + appid);
        }
        fixture.secrets(() -> secrets)
                .secrets(() -> AUTHORIZERS.stream().map(sandbox::currentRefreshToken).toList());
        return sandbox;
    }

    /** A relay in mode component with the authorizers above, its push endpoints on pushPort, safe mode. */
    static Map<String, String> properties(Path dir, WeChatSandbox sandbox, int pushPort) {
        Map<String, String> p = new LinkedHashMap<>(TestRelays.properties(dir, sandbox, Map.of()));
        p.remove("kefu.appid");
        p.remove("kefu.secret");
        p.put("kefu.token.mode", "component");
        p.put("kefu.component.appid", COMPONENT);
        p.put("kefu.component.secret", COMPONENT_SECRET);
        p.put("kefu.component.ticket", TICKET);
        for (String appid : AUTHORIZERS) {
            p.put("kefu.authorizers." + appid + ".refresh-token", "seed-" + appid);
        }
        p.put("kefu.push.port", String.valueOf(pushPort));
        p.put("kefu.push.token", PUSH_TOKEN);
        p.put("kefu.push.aes-key", AES_KEY);
        return p;
    }
}
