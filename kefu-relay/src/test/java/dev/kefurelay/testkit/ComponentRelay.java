package dev.kefurelay.testkit;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.KefuRelay;
import dev.kefurelay.LogCapture;
import dev.kefurelay.sandbox.Pushes;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.store.SecretStore;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A relay in kefu.token.mode=component with the sandbox as its platform's WeChat, started before each test and
 * stopped after it by a {@link RelayFixture} (which then checks that no secret reached the log): the platform with
 * its ticket, its authorizers with their first refresh tokens, folders in a temp dir of the test. With
 * {@link #withPush} the relay also has its push server (safe mode), and the sandbox pushes to it.
 * <pre>
 * &#64;RegisterExtension
 * final ComponentRelay wechat = new ComponentRelay(PLATFORM).withPush(PUSH_TOKEN, AES_KEY);
 * </pre>
 */
public final class ComponentRelay implements BeforeEachCallback, AfterEachCallback {

    /** The platform's keys and authorizers; {@code seed} gives an authorizer's first refresh token. */
    public record Platform(String appid, String secret, String ticket, List<String> authorizers,
            UnaryOperator<String> seed) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RelayFixture fixture = new RelayFixture();
    private final Platform platform;
    /** Every secret a test handed out or saw: none may reach the log. */
    private final Set<String> secrets = new LinkedHashSet<>();
    private String pushToken;
    private String aesKey;
    private Path dir;
    private WeChatSandbox sandbox;
    private KefuRelay relay;
    private int pushPort;
    private Pushes pushes;
    private JmsTestClient jms;

    public ComponentRelay(Platform platform) {
        this.platform = platform;
    }

    /** The relay's push server on a free port with this token and AES key, and the sandbox's pushes to it. */
    public ComponentRelay withPush(String token, String key) {
        pushToken = token;
        aesKey = key;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        fixture.beforeEach(context);
        dir = TempDirs.create("kefu-component");
        sandbox = fixture.sandbox(WeChatSandbox.start(0).component(platform.appid(), platform.secret()));
        sandbox.verifyTicket(platform.ticket());
        secrets.addAll(List.of(platform.secret(), platform.ticket()));
        for (String appid : platform.authorizers()) {
            String seed = platform.seed().apply(appid);
            sandbox.authorizer(appid, seed);
            secrets.add(seed);
        }
        WeChatSandbox started = sandbox;
        fixture.secrets(() -> secrets)
                .secrets(() -> platform.authorizers().stream().map(started::currentRefreshToken).toList());
        if (pushToken != null) {
            secrets.addAll(List.of(pushToken, aesKey));
            pushPort = TestRelays.freePort();
        }
        start(properties());
        if (pushToken != null) {
            pushes = sandbox.pushes("http://127.0.0.1:" + pushPort, pushToken, aesKey, platform.appid());
            // a client of the broker from the start, as the platform's back office would be
            jms = fixture.jms("kefu.unused");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            fixture.afterEach(context);
        } finally {
            TempDirs.deleteQuietly(dir);
        }
    }

    /** The relay's settings: mode component with the platform and authorizers, folders under {@link #dir()}. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>(TestRelays.properties(dir, sandbox, Map.of()));
        p.remove("kefu.appid");
        p.remove("kefu.secret");
        p.put("kefu.token.mode", "component");
        p.put("kefu.component.appid", platform.appid());
        p.put("kefu.component.secret", platform.secret());
        p.put("kefu.component.ticket", platform.ticket());
        for (String appid : platform.authorizers()) {
            p.put("kefu.authorizers." + appid + ".refresh-token", platform.seed().apply(appid));
        }
        if (pushToken != null) {
            p.put("kefu.push.port", String.valueOf(pushPort));
            p.put("kefu.push.token", pushToken);
            p.put("kefu.push.aes-key", aesKey);
        }
        return p;
    }

    /** (Re)starts the relay with these settings, as a restart would: {@link #relay()} is the new one. */
    public KefuRelay start(Map<String, String> properties) throws Exception {
        relay = fixture.start(properties);
        return relay;
    }

    /** Stops the relay now (the sandbox, the log and the store stay). */
    public void stopRelay() throws Exception {
        fixture.stopRelay();
    }

    /** The relay's answer to {@code body} sent on direct:, parsed. */
    public JsonNode send(String body) throws Exception {
        return JSON.readTree(relay.send(body));
    }

    /** What the relay's store folder holds: the files, not the relay's memory. */
    public Optional<String> stored(String key) {
        return SecretStore.peek(storeDir(), key);
    }

    public Path storeDir() {
        return dir.resolve("store");
    }

    public Path dir() {
        return dir;
    }

    public WeChatSandbox sandbox() {
        return sandbox;
    }

    public KefuRelay relay() {
        return relay;
    }

    public LogCapture logs() {
        return fixture.logs();
    }

    /** Secrets the test handed out or saw: none may reach the log. */
    public Set<String> secrets() {
        return secrets;
    }

    /** The push server's port (with {@link #withPush}). */
    public int pushPort() {
        return pushPort;
    }

    /** The sandbox's pushes to the relay (with {@link #withPush}). */
    public Pushes pushes() {
        return pushes;
    }

    /** A client of the broker, connected before the test (with {@link #withPush}). */
    public JmsTestClient jms() {
        return jms;
    }
}
