package dev.kefurelay.config;

import static dev.kefurelay.util.Strings.blankToNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.kefurelay.message.AccountKind;
import dev.kefurelay.token.TokenMode;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Every {@code kefu.*} setting, parsed and checked once at start. A typo or a bad value stops the start
 * with a message naming the key; secrets are held but never printed.
 */
public final class KefuSettings {

    /** The plain keys and their defaults (empty: no default), from the key table. */
    public static final Map<String, String> DEFAULTS = Key.defaults();

    /** Every plain key's value, defaults filled in: what {@link #printable()} shows the non-secret part of. */
    private final Map<String, String> values;
    private final SettingGroups.WeChat wechat;
    private final SettingGroups.Accounts accounts;
    private final SettingGroups.Store store;
    private final SettingGroups.Broker broker;
    private final SettingGroups.Jms jms;
    private final SettingGroups.Push push;
    private final SettingGroups.Inbox inbox;
    private final SettingGroups.Http http;
    private final SettingGroups.Media media;
    private final SettingGroups.Retry retry;
    private final SettingGroups.Sandbox sandbox;
    private final SettingGroups.Window window;
    private final SettingGroups.WeCom wecom;

    private KefuSettings(GivenKeys keys, Map<String, SettingGroups.PushKeys> accountPush,
            Map<String, AccountKind> kinds) {
        Map<String, String> values = keys.values();
        this.values = Map.copyOf(values);
        wechat = new SettingGroups.WeChat(SettingChecks.baseUrls(values), duration(Key.WECHAT_CONNECT_TIMEOUT),
                duration(Key.WECHAT_READ_TIMEOUT));
        accounts = new SettingGroups.Accounts(SettingChecks.tokenMode(values), duration(Key.TOKEN_REFRESH_AHEAD),
                blankToNull(text(Key.APPID)), secret(Key.SECRET), Map.copyOf(keys.secrets()),
                blankToNull(text(Key.COMPONENT_APPID)), secret(Key.COMPONENT_SECRET), secret(Key.COMPONENT_TICKET),
                Map.copyOf(keys.refreshTokens()), Map.copyOf(accountPush), Map.copyOf(kinds));
        store = new SettingGroups.Store(path(Key.STORE_DIR), secret(Key.STORE_URL), text(Key.STORE_USER),
                secret(Key.STORE_PASSWORD), integer(Key.STORE_POOL_SIZE), duration(Key.STORE_LOCK_TIMEOUT));
        broker = new SettingGroups.Broker(secret(Key.BROKER_URL), text(Key.BROKER_BIND), integer(Key.BROKER_PORT),
                path(Key.BROKER_DATA_DIR), bytes(Key.BROKER_QUEUE_MEMORY), text(Key.BROKER_USER),
                secret(Key.BROKER_PASSWORD));
        jms = new SettingGroups.Jms(text(Key.JMS_QUEUE), text(Key.JMS_DLQ), integer(Key.JMS_CONCURRENCY),
                integer(Key.JMS_BATCH_SIZE));
        // kefu.push.max-age=0: no replay check
        Duration maxAge = "0".equals(text(Key.PUSH_MAX_AGE)) ? Duration.ZERO : duration(Key.PUSH_MAX_AGE);
        push = new SettingGroups.Push(integer(Key.PUSH_PORT), text(Key.PUSH_BIND), secret(Key.PUSH_TOKEN),
                secret(Key.PUSH_AES_KEY), secret(Key.PUSH_AES_KEY_PREVIOUS), maxAge, bytes(Key.PUSH_MAX_SIZE),
                text(Key.PUSH_QUEUE), text(Key.PUSH_EVENTS_TOPIC));
        inbox = new SettingGroups.Inbox(path(Key.INBOX_DIR), bytes(Key.INBOX_MAX_SIZE));
        http = new SettingGroups.Http(integer(Key.HTTP_PORT), text(Key.HTTP_BIND), duration(Key.SHUTDOWN_TIMEOUT));
        media = new SettingGroups.Media(path(Key.MEDIA_DIR), bytes(Key.MEDIA_IMAGE_MAX_SIZE),
                bytes(Key.MEDIA_VOICE_MAX_SIZE), bytes(Key.MEDIA_VIDEO_MAX_SIZE), bytes(Key.MEDIA_THUMB_MAX_SIZE),
                duration(Key.MEDIA_URL_TIMEOUT), text(Key.MEDIA_ALLOW_HOSTS));
        retry = new SettingGroups.Retry(integer(Key.RETRY_MAX), duration(Key.RETRY_DELAY), duration(Key.RETRY_MAX_DELAY),
                Boolean.parseBoolean(text(Key.RETRY_UNKNOWN_OUTCOME)));
        sandbox = new SettingGroups.Sandbox(Boolean.parseBoolean(text(Key.SANDBOX)), integer(Key.SANDBOX_PORT),
                Boolean.parseBoolean(text(Key.SANDBOX_ENFORCE_WINDOW)));
        window = new SettingGroups.Window(Boolean.parseBoolean(text(Key.WINDOW_PREEMPT)));
        wecom = new SettingGroups.WeCom(blankToNull(text(Key.WECOM_CORPID)), keys.corps().secrets(values),
                text(Key.WECOM_BASE_URL), keys.corps().callbacks(values), text(Key.WECOM_WELCOME_TEXT),
                duration(Key.WECOM_PULL_LEASE));
    }

    /**
     * The settings as Camel's properties component resolves them, every key the operator gave checked: a
     * misspelt one in a file, {@code -D} or a {@code KEFU_*} variable is refused, not silently ignored.
     */
    public static KefuSettings from(PropertiesComponent pc, Map<String, String> env) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String key : ConfigSources.givenKeys(pc, env)) {
            // an unknown key is not resolved: Camel would list its value in the start summary before the refusal
            given.put(key, Key.of(key).isPresent() ? pc.resolveProperty(key).orElse("") : "");
        }
        return of(given);
    }

    /**
     * Whether a key's value is a secret: never printed, here or in Camel's start summary. A broker or JDBC URL
     * counts as one, since either may carry a password parameter.
     */
    public static boolean isSecret(String key) {
        return Key.of(key).map(Key::secret).orElse(false);
    }

    /**
     * Parses and checks; throws {@link ConfigException} naming every unknown key or the first bad value. The sandbox's
     * demo values go in before the checks, so they pass the same rules as given ones.
     */
    public static KefuSettings of(Map<String, String> given) {
        GivenKeys keys = GivenKeys.sort(given);
        if (Boolean.parseBoolean(keys.value(Key.SANDBOX))) {
            SandboxDefaults.fill(keys, given.containsKey(Key.PUSH_PORT.key()));
        }
        keys.addDefaultAccount();
        Map<String, SettingGroups.PushKeys> accountPush = keys.accountPush();
        SettingChecks.check(keys.values(), keys.secrets(), accountPush, keys.corps());
        return new KefuSettings(keys, accountPush, SettingChecks.kinds(keys.values(), keys.secrets(), keys.kinds()));
    }

    public SettingGroups.WeChat wechat() {
        return wechat;
    }

    public SettingGroups.Accounts accounts() {
        return accounts;
    }

    public SettingGroups.Store store() {
        return store;
    }

    public SettingGroups.Broker broker() {
        return broker;
    }

    public SettingGroups.Jms jms() {
        return jms;
    }

    public SettingGroups.Push push() {
        return push;
    }

    public SettingGroups.Inbox inbox() {
        return inbox;
    }

    public SettingGroups.Http http() {
        return http;
    }

    public SettingGroups.Media media() {
        return media;
    }

    public SettingGroups.Retry retry() {
        return retry;
    }

    public SettingGroups.Window window() {
        return window;
    }

    public SettingGroups.WeCom wecom() {
        return wecom;
    }

    public SettingGroups.Sandbox sandboxSettings() {
        return sandbox;
    }

    public List<String> baseUrls() {
        return wechat.baseUrls();
    }

    public TokenMode tokenMode() {
        return accounts.mode();
    }

    public String defaultAppid() {
        return accounts.defaultAppid();
    }

    /** appid → secret of every official account (empty in component mode). */
    public Map<String, String> accountSecrets() {
        return accounts.secrets();
    }

    /** appid → kind of every account named a kind (an appid not named is an Official Account). */
    public Map<String, AccountKind> accountKinds() {
        return accounts.kinds();
    }

    public Map<String, String> refreshTokenSeeds() {
        return accounts.refreshTokens();
    }

    /** kefu.mode=broker: only the Artemis broker, for relays on other hosts (kefu.broker.url). */
    public boolean brokerOnly() {
        return "broker".equals(text(Key.MODE));
    }

    public boolean sandbox() {
        return sandbox.on();
    }

    /** The raw value of a plain key: for the checks' tests; the relay reads the typed groups. */
    String get(String key) {
        return values.get(key);
    }

    Duration duration(String key) {
        return Units.duration(key, values.get(key));
    }

    long bytes(String key) {
        return Units.bytes(key, values.get(key));
    }

    int integer(String key) {
        return Integer.parseInt(values.get(key));
    }

    /** The non-secret values: what {@link #toString()} shows. */
    public Map<String, String> printable() {
        Map<String, String> out = new TreeMap<>(values);
        out.keySet().removeIf(KefuSettings::isSecret);
        return out;
    }

    @Override
    public String toString() {
        return "KefuSettings" + printable();
    }

    private String text(Key key) {
        return values.get(key.key());
    }

    private SettingGroups.Secret secret(Key key) {
        return new SettingGroups.Secret(text(key));
    }

    private Duration duration(Key key) {
        return duration(key.key());
    }

    private long bytes(Key key) {
        return bytes(key.key());
    }

    private int integer(Key key) {
        return integer(key.key());
    }

    private Path path(Key key) {
        return Path.of(text(key));
    }
}
