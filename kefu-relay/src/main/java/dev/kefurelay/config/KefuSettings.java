package dev.kefurelay.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kefurelay.media.AllowHosts;
import dev.kefurelay.token.TokenMode;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Every {@code kefu.*} setting, parsed and checked once at start. A typo or a bad value stops the start
 * with a message naming the key; secrets are held but never printed.
 */
public final class KefuSettings {

    /** The contract's keys and their defaults (empty: no default); none is a secret. */
    public static final Map<String, String> DEFAULTS = defaults();
    static final Set<String> KNOWN_KEYS = DEFAULTS.keySet();
    private static final Pattern ACCOUNT_SECRET = Pattern.compile("kefu\\.accounts\\.([^.]+)\\.secret");
    /** An official account's own push token and EncodingAESKey (modes stable and client-credential). */
    private static final Pattern ACCOUNT_PUSH = Pattern.compile("kefu\\.accounts\\.([^.]+)\\.(push-token|push-aes-key)");
    private static final Pattern AUTHORIZER_REFRESH = Pattern.compile("kefu\\.authorizers\\.([^.]+)\\.refresh-token");

    /** The sandbox's demo account, used when {@code kefu.sandbox=true} and no credentials are given. */
    public static final String SANDBOX_APPID = "wxsandbox000000001";
    public static final String SANDBOX_SECRET = "sandbox-secret";
    /** The sandbox's demo third-party platform and its one authorizer (kefu.sandbox=true, kefu.token.mode=component). */
    public static final String SANDBOX_COMPONENT_APPID = "wxsandboxcomponent1";
    public static final String SANDBOX_COMPONENT_SECRET = "sandbox-component-secret";
    public static final String SANDBOX_TICKET = "sandbox-verify-ticket";
    public static final String SANDBOX_AUTHORIZER_APPID = "wxsandboxauthorizer1";
    public static final String SANDBOX_REFRESH_TOKEN = "sandbox-refresh-token";
    /** The sandbox's demo push token and EncodingAESKey (kefu.sandbox=true), used when none is given. */
    public static final String SANDBOX_PUSH_TOKEN = "sandbox-push-token";
    public static final String SANDBOX_PUSH_AES_KEY = "sandboxPushAesKey0123456789abcdefghijklmnop";

    private final Map<String, String> values;
    private final Map<String, String> secretsByAppid;
    private final Map<String, String> refreshTokenSeeds;
    /** kefu.accounts.<appid>.push-token / .push-aes-key, by their full key. */
    private final Map<String, String> accountPush;

    private KefuSettings(Map<String, String> values, Map<String, String> secrets, Map<String, String> seeds,
            Map<String, String> accountPush) {
        this.values = values;
        this.secretsByAppid = secrets;
        this.refreshTokenSeeds = seeds;
        this.accountPush = accountPush;
    }

    /**
     * The settings as Camel's properties component resolves them, every key the operator gave checked: a
     * misspelt one in a file, {@code -D} or a {@code KEFU_*} variable is refused, not silently ignored.
     */
    public static KefuSettings from(PropertiesComponent pc, Map<String, String> env) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String key : ConfigSources.givenKeys(pc, env)) {
            // an unknown key is not resolved: Camel would list its value in the start summary before the refusal
            given.put(key, isKnown(key) ? pc.resolveProperty(key).orElse("") : "");
        }
        return of(given);
    }

    private static boolean isKnown(String key) {
        return KNOWN_KEYS.contains(key) || ACCOUNT_SECRET.matcher(key).matches()
                || AUTHORIZER_REFRESH.matcher(key).matches() || ACCOUNT_PUSH.matcher(key).matches();
    }

    /**
     * Whether a key's value is a secret: never printed, here or in Camel's start summary. A broker or JDBC URL
     * counts as one, since either may carry a password parameter.
     */
    public static boolean isSecret(String key) {
        return key.endsWith("secret") || key.endsWith("password") || key.endsWith("ticket") || key.endsWith("token")
                || key.contains("aes-key") || key.endsWith(".url");
    }

    /** Parses and checks; throws {@link ConfigException} naming every unknown key or the first bad value. */
    public static KefuSettings of(Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> secrets = new LinkedHashMap<>();
        Map<String, String> seeds = new LinkedHashMap<>();
        Map<String, String> accountPush = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        given.forEach((key, value) -> {
            Matcher account = ACCOUNT_SECRET.matcher(key);
            Matcher authorizer = AUTHORIZER_REFRESH.matcher(key);
            if (account.matches()) {
                secrets.put(account.group(1), value.strip());
            } else if (ACCOUNT_PUSH.matcher(key).matches()) {
                accountPush.put(key, value.strip());
            } else if (authorizer.matches()) {
                seeds.put(authorizer.group(1), value.strip());
            } else if (KNOWN_KEYS.contains(key)) {
                values.put(key, value == null ? "" : value.strip());
            } else {
                unknown.add(key);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown propert" + (unknown.size() == 1 ? "y " : "ies ") + unknown
                    + ": check the spelling against the README's property table");
        }
        boolean component = "component".equals(values.get("kefu.token.mode"));
        if (Boolean.parseBoolean(values.get("kefu.sandbox")) && component) {
            sandboxComponent(values, seeds);
        } else if (Boolean.parseBoolean(values.get("kefu.sandbox"))) {
            if (values.get("kefu.appid").isEmpty() && values.get("kefu.secret").isEmpty()) {
                values.put("kefu.appid", SANDBOX_APPID);
                values.put("kefu.secret", SANDBOX_SECRET);
            }
        }
        if (Boolean.parseBoolean(values.get("kefu.sandbox")) && values.get("kefu.push.token").isEmpty()) {
            values.put("kefu.push.token", SANDBOX_PUSH_TOKEN);
            values.put("kefu.push.aes-key", SANDBOX_PUSH_AES_KEY);
        }
        if (!values.get("kefu.appid").isEmpty()) {
            secrets.put(values.get("kefu.appid"), values.get("kefu.secret"));
        }
        KefuSettings settings = new KefuSettings(values, Map.copyOf(secrets), Map.copyOf(seeds), Map.copyOf(accountPush));
        settings.check();
        return settings;
    }

    /** Demo values for what is not given; messages then name appid wxsandboxauthorizer1. */
    private static void sandboxComponent(Map<String, String> values, Map<String, String> seeds) {
        if (values.get("kefu.component.appid").isEmpty() && values.get("kefu.component.secret").isEmpty()) {
            values.put("kefu.component.appid", SANDBOX_COMPONENT_APPID);
            values.put("kefu.component.secret", SANDBOX_COMPONENT_SECRET);
        }
        if (values.get("kefu.component.ticket").isEmpty()) {
            values.put("kefu.component.ticket", SANDBOX_TICKET);
        }
        if (seeds.isEmpty()) {
            seeds.put(SANDBOX_AUTHORIZER_APPID, SANDBOX_REFRESH_TOKEN);
        }
    }

    private void check() {
        tokenMode();
        baseUrls();
        // every port, count, duration, size and true/false against its rule, in one place
        SettingRules.check(values);
        try {
            AllowHosts.parse(values.get("kefu.media.allow-hosts"), "kefu.media.allow-hosts");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (values.get("kefu.http.bind").isEmpty()) {
            throw new ConfigException("kefu.http.bind is empty: give an address such as 127.0.0.1");
        }
        if (!"0".equals(values.get("kefu.push.port")) && values.get("kefu.push.port").equals(values.get("kefu.http.port"))) {
            throw new ConfigException("kefu.push.port=" + values.get("kefu.push.port") + " is kefu.http.port too: the "
                    + "pushes face WeChat, health and metrics stay apart; choose another port");
        }
        if (values.get("kefu.push.bind").isEmpty()) {
            throw new ConfigException("kefu.push.bind is empty: give an address such as 127.0.0.1");
        }
        for (String key : accountPush.keySet()) {
            Matcher m = ACCOUNT_PUSH.matcher(key);
            m.matches();
            if (!secretsByAppid.containsKey(m.group(1)) || tokenMode() == TokenMode.COMPONENT) {
                throw new ConfigException(key + " is set, but " + m.group(1) + " is no official account of this relay "
                        + "(kefu.accounts." + m.group(1) + ".secret; in mode component the platform's kefu.push.* serve "
                        + "every authorizer)");
            }
            if (accountPush(m.group(1), "push-token").isEmpty()) {
                throw new ConfigException(key + " is set: set kefu.accounts." + m.group(1) + ".push-token too");
            }
        }
        String storeUrl = values.get("kefu.store.url");
        if (!storeUrl.isEmpty() && !storeUrl.startsWith("jdbc:postgresql://")) {
            throw new ConfigException("kefu.store.url=" + storeUrl.replaceAll("(?i)password=[^&]*", "password=***")
                    + " is not a jdbc:postgresql://host:port/database URL (leave it empty for the local store)");
        }
        if (!List.of("relay", "broker").contains(values.get("kefu.mode"))) {
            throw new ConfigException("kefu.mode=" + values.get("kefu.mode") + " is not relay or broker");
        }
        List<String> missing = new ArrayList<>();
        if (sandbox() || brokerOnly()) {
            return;
        }
        if (tokenMode() == TokenMode.COMPONENT) {
            requireSet(missing, "kefu.component.appid");
            requireSet(missing, "kefu.component.secret");
        } else if (secretsByAppid.isEmpty()) {
            requireSet(missing, "kefu.appid");
            requireSet(missing, "kefu.secret");
        } else {
            secretsByAppid.forEach((appid, secret) -> {
                if (secret.isEmpty()) {
                    missing.add(appid.equals(values.get("kefu.appid")) ? "kefu.secret" : "kefu.accounts." + appid + ".secret");
                }
            });
        }
        if (!missing.isEmpty()) {
            throw new ConfigException("missing credentials: set " + String.join(", ", missing) + " (environment: "
                    + String.join(", ", missing.stream().map(ConfigSources::envName).toList())
                    + "), or run with -Dkefu.sandbox=true");
        }
    }

    public String get(String key) {
        return values.get(key);
    }

    public List<String> baseUrls() {
        List<String> urls = Arrays.stream(values.get("kefu.wechat.base-url").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
                .toList();
        if (urls.isEmpty()) {
            throw new ConfigException("kefu.wechat.base-url is empty");
        }
        for (String url : urls) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("kefu.wechat.base-url: '" + url + "' is not a URL");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException("kefu.wechat.base-url: '" + url + "' is not an http(s) URL");
            }
        }
        return urls;
    }

    public TokenMode tokenMode() {
        try {
            return TokenMode.parse(values.get("kefu.token.mode"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("kefu.token.mode: " + e.getMessage());
        }
    }

    public String defaultAppid() {
        String appid = values.get("kefu.appid");
        return appid.isEmpty() ? null : appid;
    }

    /** appid → secret of every official account (empty in component mode). */
    public Map<String, String> accountSecrets() {
        return secretsByAppid;
    }

    /** An official account's own push setting ({@code push-token}, {@code push-aes-key}), or empty. */
    public String accountPush(String appid, String name) {
        return accountPush.getOrDefault("kefu.accounts." + appid + "." + name, "");
    }

    /** The official accounts with a push token of their own. */
    public Set<String> pushAccounts() {
        Set<String> out = new java.util.TreeSet<>();
        accountPush.keySet().forEach(k -> {
            Matcher m = ACCOUNT_PUSH.matcher(k);
            if (m.matches()) {
                out.add(m.group(1));
            }
        });
        return out;
    }

    public Map<String, String> refreshTokenSeeds() {
        return refreshTokenSeeds;
    }

    /** kefu.mode=broker: only the Artemis broker, for relays on other hosts (kefu.broker.url). */
    public boolean brokerOnly() {
        return "broker".equals(values.get("kefu.mode"));
    }

    public boolean sandbox() {
        return Boolean.parseBoolean(values.get("kefu.sandbox"));
    }

    public Duration duration(String key) {
        return Units.duration(key, values.get(key));
    }

    public long bytes(String key) {
        return Units.bytes(key, values.get(key));
    }

    public int integer(String key) {
        return Integer.parseInt(values.get(key));
    }

    public boolean bool(String key) {
        String v = values.get(key);
        if (!"true".equalsIgnoreCase(v) && !"false".equalsIgnoreCase(v)) {
            throw new ConfigException(key + "=" + v + " must be true or false");
        }
        return Boolean.parseBoolean(v);
    }

    public Path path(String key) {
        return Path.of(values.get(key));
    }

    public KefuSettings withBaseUrl(String url) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put("kefu.wechat.base-url", url);
        return new KefuSettings(copy, secretsByAppid, refreshTokenSeeds, accountPush);
    }

    /** The non-secret values: what {@link #toString()} shows. */
    public Map<String, String> printable() {
        Map<String, String> out = new TreeMap<>(values);
        out.keySet().removeIf(KefuSettings::isSecret);
        return out;
    }

    private void requireSet(List<String> missing, String key) {
        if (values.get(key).isEmpty()) {
            missing.add(key);
        }
    }

    @Override
    public String toString() {
        return "KefuSettings" + printable();
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("kefu.wechat.base-url", "https://api.weixin.qq.com");
        d.put("kefu.wechat.connect-timeout", "5s");
        d.put("kefu.wechat.read-timeout", "30s");
        d.put("kefu.token.mode", "stable");
        d.put("kefu.appid", "");
        d.put("kefu.secret", "");
        d.put("kefu.component.appid", "");
        d.put("kefu.component.secret", "");
        d.put("kefu.component.ticket", "");
        d.put("kefu.store.dir", "data/store");
        d.put("kefu.store.url", "");
        d.put("kefu.store.user", "");
        d.put("kefu.store.password", "");
        d.put("kefu.store.pool-size", "24");
        d.put("kefu.store.lock-timeout", "10s");
        d.put("kefu.mode", "relay");
        d.put("kefu.token.refresh-ahead", "60s");
        d.put("kefu.inbox.dir", "data/inbox");
        d.put("kefu.inbox.max-size", "16MB");
        d.put("kefu.media.dir", "data/media");
        // WeChat's page says both 10 MB (its table) and 2 MB (its text) for images: the table's, see the README
        d.put("kefu.media.image-max-size", "10MB");
        d.put("kefu.media.voice-max-size", "2MB");
        d.put("kefu.media.video-max-size", "10MB");
        d.put("kefu.media.thumb-max-size", "64KB");
        d.put("kefu.media.url-timeout", "30s");
        d.put("kefu.media.allow-hosts", "");
        d.put("kefu.jms.queue", "kefu.outbound");
        d.put("kefu.jms.dlq", "kefu.outbound.dlq");
        d.put("kefu.jms.concurrency", "8");
        d.put("kefu.jms.batch-size", "16");
        d.put("kefu.broker.url", "");
        d.put("kefu.broker.bind", "127.0.0.1");
        d.put("kefu.broker.port", "61616");
        d.put("kefu.broker.data-dir", "data/broker");
        d.put("kefu.broker.queue-memory", "16MB");
        d.put("kefu.broker.user", "");
        d.put("kefu.broker.password", "");
        d.put("kefu.sandbox", "false");
        d.put("kefu.sandbox.port", "0");
        d.put("kefu.retry.max", "5");
        d.put("kefu.retry.delay", "1s");
        d.put("kefu.retry.max-delay", "30s");
        d.put("kefu.retry.unknown-outcome", "false");
        d.put("kefu.http.port", "8080");
        d.put("kefu.http.bind", "127.0.0.1");
        d.put("kefu.shutdown.timeout", "30s");
        d.put("kefu.push.port", "0");
        d.put("kefu.push.bind", "127.0.0.1");
        d.put("kefu.push.token", "");
        d.put("kefu.push.aes-key", "");
        d.put("kefu.push.aes-key-previous", "");
        d.put("kefu.push.max-age", "5m");
        d.put("kefu.push.max-size", "64KB");
        d.put("kefu.push.queue", "kefu.inbound");
        d.put("kefu.push.events-topic", "kefu.component.events");
        return Map.copyOf(d);
    }
}
