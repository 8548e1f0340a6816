package dev.kefurelay.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.kefurelay.config.SettingRules.Rule;

/**
 * Every {@code kefu.*} key the relay reads, in one table: its name, default, rule, whether its value is a secret and
 * what it means to the user. The defaults, the checks at start, the secret masking, the environment names and the
 * property table of docs/configuration.md all come from here; a key that is not a row is refused at start. A name
 * with {@code <appid>} stands for one key per account, one with {@code <corpid>} for one key per WeCom corp.
 */
public enum Key {

    WECHAT_BASE_URL("kefu.wechat.base-url", "https://api.weixin.qq.com", Rule.URL_LIST, Secrecy.PLAIN,
            "WeChat API root; a comma-separated list is the failover order on connection failure"),
    WECHAT_CONNECT_TIMEOUT("kefu.wechat.connect-timeout", "5s", Rule.POSITIVE_DURATION, Secrecy.PLAIN,
            "connect timeout per host"),
    WECHAT_READ_TIMEOUT("kefu.wechat.read-timeout", "30s", Rule.POSITIVE_DURATION, Secrecy.PLAIN,
            "wait for an answer; past it a send is `unknown-outcome`"),
    TOKEN_MODE("kefu.token.mode", "stable", Rule.CHOICE, Secrecy.PLAIN,
            "`stable` (`stable_token`), `client-credential` (`cgi-bin/token`) or `component` ([third-party platform](third-party-platforms.md))"),
    // 0: use a token to its last second (WeChat's 42001 then brings a new one); more is the usual choice
    TOKEN_REFRESH_AHEAD("kefu.token.refresh-ahead", "60s", Rule.DURATION, Secrecy.PLAIN,
            "a token is renewed when less than this remains of its `expires_in`"),
    APPID("kefu.appid", "", Rule.TEXT, Secrecy.PLAIN,
            "the default official account; messages that name none send from it"),
    SECRET("kefu.secret", "", Rule.TEXT, Secrecy.SECRET,
            "its appsecret"),
    ACCOUNTS_SECRET("kefu.accounts.<appid>.secret", "", Rule.TEXT, Secrecy.SECRET,
            "further accounts (Official Accounts or Mini Programs, see `.kind`), one key each"),
    ACCOUNTS_KIND("kefu.accounts.<appid>.kind", "official", Rule.CHOICE, Secrecy.PLAIN,
            "`official` or `miniprogram`: the account's kind, in every token mode (an authorizer's too); a Mini Program takes `text`, `image`, `link`, `miniprogrampage` and types on `custom/business/typing` ([Mini Programs](messages.md#mini-programs))"),
    ACCOUNTS_PUSH_TOKEN("kefu.accounts.<appid>.push-token", "", Rule.TEXT, Secrecy.SECRET,
            "a further account's own push Token (modes `stable`, `client-credential`; [pushes](pushes.md))"),
    ACCOUNTS_PUSH_AES_KEY("kefu.accounts.<appid>.push-aes-key", "", Rule.TEXT, Secrecy.SECRET,
            "its EncodingAESKey"),
    COMPONENT_APPID("kefu.component.appid", "", Rule.TEXT, Secrecy.PLAIN,
            "the third-party platform's `component_appid` (mode `component`)"),
    COMPONENT_SECRET("kefu.component.secret", "", Rule.TEXT, Secrecy.SECRET,
            "its `component_appsecret`"),
    COMPONENT_TICKET("kefu.component.ticket", "", Rule.TEXT, Secrecy.SECRET,
            "an initial `component_verify_ticket`, used only while the store holds none"),
    AUTHORIZERS_REFRESH_TOKEN("kefu.authorizers.<appid>.refresh-token", "", Rule.TEXT, Secrecy.SECRET,
            "seeds an authorizer's `authorizer_refresh_token`; a rotated one in the store wins"),
    MODE("kefu.mode", "relay", Rule.CHOICE, Secrecy.PLAIN,
            "`relay`, or `broker`: run only the embedded Artemis broker for relays elsewhere ([several relays](operations.md#running-several-relays))"),
    STORE_DIR("kefu.store.dir", "data/store", Rule.FOLDER, Secrecy.PLAIN,
            "the local store: refresh tokens, the verify ticket, delivered ids (48 h), quota pauses"),
    STORE_URL("kefu.store.url", "", Rule.URL, Secrecy.SECRET,
            "empty: the local store; `jdbc:postgresql://host:5432/db`: every state in PostgreSQL, shared by the relays using it"),
    STORE_USER("kefu.store.user", "", Rule.TEXT, Secrecy.PLAIN,
            "the PostgreSQL login"),
    STORE_PASSWORD("kefu.store.password", "", Rule.TEXT, Secrecy.SECRET,
            "its password"),
    STORE_POOL_SIZE("kefu.store.pool-size", "24", Rule.POSITIVE_COUNT, Secrecy.PLAIN,
            "connections to PostgreSQL; each message with an `id` holds one while it is sent, so keep it above `kefu.jms.concurrency` x 2"),
    STORE_LOCK_TIMEOUT("kefu.store.lock-timeout", "10s", Rule.POSITIVE_DURATION, Secrecy.PLAIN,
            "the longest a token renewal waits for another relay renewing the same account; then the message is retried"),
    INBOX_DIR("kefu.inbox.dir", "data/inbox", Rule.FOLDER, Secrecy.PLAIN,
            "the inbox ([dropping files](relay.md#dropping-files))"),
    INBOX_MAX_SIZE("kefu.inbox.max-size", "16MB", Rule.POSITIVE_SIZE, Secrecy.PLAIN,
            "larger files go to `.error/`"),
    MEDIA_DIR("kefu.media.dir", "data/media", Rule.FOLDER, Secrecy.PLAIN,
            "folder of `file` / `thumb_file` media sources (inbox messages: the inbox)"),
    // WeChat's page says both 10 MB (its table) and 2 MB (its text) for images: the table's
    MEDIA_IMAGE_MAX_SIZE("kefu.media.image-max-size", "10MB", Rule.POSITIVE_SIZE, Secrecy.PLAIN,
            "largest image source (PNG, JPEG, GIF)"),
    MEDIA_VOICE_MAX_SIZE("kefu.media.voice-max-size", "2MB", Rule.POSITIVE_SIZE, Secrecy.PLAIN,
            "largest voice source (AMR, MP3)"),
    MEDIA_VIDEO_MAX_SIZE("kefu.media.video-max-size", "10MB", Rule.POSITIVE_SIZE, Secrecy.PLAIN,
            "largest video source (MP4)"),
    MEDIA_THUMB_MAX_SIZE("kefu.media.thumb-max-size", "64KB", Rule.POSITIVE_SIZE, Secrecy.PLAIN,
            "largest thumb source (JPEG)"),
    MEDIA_URL_TIMEOUT("kefu.media.url-timeout", "30s", Rule.POSITIVE_DURATION, Secrecy.PLAIN,
            "the longest a `source_url` download may take"),
    MEDIA_ALLOW_HOSTS("kefu.media.allow-hosts", "", Rule.TEXT, Secrecy.PLAIN,
            "hosts and address ranges a `source_url` may be fetched from although they are not public, comma-separated: host names (whatever they resolve to) and CIDR ranges, e.g. `10.1.0.0/16,media.internal`"),
    JMS_QUEUE("kefu.jms.queue", "kefu.outbound", Rule.TEXT, Secrecy.PLAIN,
            "the JMS input queue"),
    JMS_DLQ("kefu.jms.dlq", "kefu.outbound.dlq", Rule.TEXT, Secrecy.PLAIN,
            "dead letters from the queue (and from the platform's queues)"),
    JMS_CONCURRENCY("kefu.jms.concurrency", "8", Rule.POSITIVE_COUNT, Secrecy.PLAIN,
            "concurrent JMS consumers (in-flight sends); also the parallelism of one inbox file"),
    JMS_BATCH_SIZE("kefu.jms.batch-size", "16", Rule.POSITIVE_COUNT, Secrecy.PLAIN,
            "most messages per JMS commit while the queue has a backlog (1: a commit per message; [what a batch costs](relay.md#sending-over-jms))"),
    BROKER_URL("kefu.broker.url", "", Rule.URL, Secrecy.SECRET,
            "empty: start the embedded broker; else an Artemis CORE URL to connect to"),
    BROKER_BIND("kefu.broker.bind", "127.0.0.1", Rule.TEXT, Secrecy.PLAIN,
            "the embedded broker's address (CORE and AMQP); beyond loopback it needs a user and password"),
    BROKER_PORT("kefu.broker.port", "61616", Rule.PORT, Secrecy.PLAIN,
            "the embedded broker's port (0: a free one)"),
    BROKER_USER("kefu.broker.user", "", Rule.TEXT, Secrecy.PLAIN,
            "broker login (the embedded broker's, or the one of `kefu.broker.url`)"),
    BROKER_PASSWORD("kefu.broker.password", "", Rule.TEXT, Secrecy.SECRET,
            "its password"),
    BROKER_DATA_DIR("kefu.broker.data-dir", "data/broker", Rule.FOLDER, Secrecy.PLAIN,
            "the embedded broker's journal"),
    BROKER_QUEUE_MEMORY("kefu.broker.queue-memory", "16MB", Rule.POSITIVE_SIZE, Secrecy.PLAIN,
            "messages one queue of the embedded broker keeps in memory; a deeper backlog is paged to `<data-dir>/paging`"),
    RETRY_MAX("kefu.retry.max", "5", Rule.COUNT, Secrecy.PLAIN,
            "retries of a retryable failure"),
    RETRY_DELAY("kefu.retry.delay", "1s", Rule.POSITIVE_DURATION, Secrecy.PLAIN,
            "wait before the first retry; it doubles for each further one"),
    RETRY_MAX_DELAY("kefu.retry.max-delay", "30s", Rule.POSITIVE_DURATION, Secrecy.PLAIN,
            "the longest wait between retries"),
    RETRY_UNKNOWN_OUTCOME("kefu.retry.unknown-outcome", "false", Rule.BOOLEAN, Secrecy.PLAIN,
            "retry after a read timeout (may deliver twice)"),
    WINDOW_PREEMPT("kefu.window.preempt", "true", Rule.BOOLEAN, Secrecy.PLAIN,
            "`true`: a message for a user whose customer-service window the window book knows closed or used up skips "
            + "custom/send (its `fallback` goes, or it fails `window-closed`); `false`: always try custom/send first. "
            + "The same for WeCom customers and kf/send_msg"),
    SANDBOX("kefu.sandbox", "false", Rule.BOOLEAN, Secrecy.PLAIN,
            "`true`: start the sandbox WeChat and use it, with demo credentials for what is not given"),
    SANDBOX_PORT("kefu.sandbox.port", "0", Rule.PORT, Secrecy.PLAIN,
            "the sandbox's port (0: a free port; the log says which)"),
    SANDBOX_ENFORCE_WINDOW("kefu.sandbox.enforce-window", "false", Rule.BOOLEAN, Secrecy.PLAIN,
            "`true`: the sandbox refuses custom/send outside a user's window as WeChat does (45015, 45047); users open "
            + "windows by pushes the sandbox sends (its control page)"),
    HTTP_PORT("kefu.http.port", "8080", Rule.PORT, Secrecy.PLAIN,
            "health and metrics port (0: a free port, shown in the start line)"),
    HTTP_BIND("kefu.http.bind", "127.0.0.1", Rule.TEXT, Secrecy.PLAIN,
            "health and metrics address (`0.0.0.0` for all)"),
    SHUTDOWN_TIMEOUT("kefu.shutdown.timeout", "30s", Rule.POSITIVE_DURATION, Secrecy.PLAIN,
            "graceful stop budget for messages in flight"),
    PUSH_PORT("kefu.push.port", "0", Rule.PORT, Secrecy.PLAIN,
            "port of the push endpoints WeChat posts to (0: none); must differ from `kefu.http.port`"),
    PUSH_BIND("kefu.push.bind", "127.0.0.1", Rule.TEXT, Secrecy.PLAIN,
            "the push endpoints' address (a reverse proxy in front)"),
    PUSH_TOKEN("kefu.push.token", "", Rule.TEXT, Secrecy.SECRET,
            "the push Token entered at WeChat: the platform's (mode `component`) or the default account's"),
    PUSH_AES_KEY("kefu.push.aes-key", "", Rule.TEXT, Secrecy.SECRET,
            "the EncodingAESKey; without one, plaintext mode"),
    PUSH_AES_KEY_PREVIOUS("kefu.push.aes-key-previous", "", Rule.TEXT, Secrecy.SECRET,
            "the EncodingAESKey before a change, still accepted"),
    PUSH_MAX_AGE("kefu.push.max-age", "5m", Rule.OFF_OR_POSITIVE_DURATION, Secrecy.PLAIN,
            "a push whose `timestamp` is further off is refused as a replay; `0` turns the replay check off"),
    PUSH_MAX_SIZE("kefu.push.max-size", "64KB", Rule.POSITIVE_SIZE, Secrecy.PLAIN,
            "larger push bodies get 413"),
    PUSH_QUEUE("kefu.push.queue", "kefu.inbound", Rule.TEXT, Secrecy.PLAIN,
            "the queue of users' messages and events, as JSON"),
    PUSH_EVENTS_TOPIC("kefu.push.events-topic", "kefu.component.events", Rule.TEXT, Secrecy.PLAIN,
            "the topic of every platform event (mode `component`)"),
    WECOM_CORPID("kefu.wecom.corpid", "", Rule.TEXT, Secrecy.PLAIN,
            "the default WeCom corp (企业ID): a message with `open_kfid` and no `corpid` is for its 微信客服 kf accounts"),
    WECOM_SECRET("kefu.wecom.secret", "", Rule.TEXT, Secrecy.SECRET,
            "the secret of the corp's app that may call 微信客服"),
    WECOM_CORPS_SECRET("kefu.wecom.corps.<corpid>.secret", "", Rule.TEXT, Secrecy.SECRET,
            "further corps, one key each: the secret of the corp's app that may call 微信客服; a message names its corp in `corpid`"),
    WECOM_CORPS_PUSH_TOKEN("kefu.wecom.corps.<corpid>.push-token", "", Rule.TEXT, Secrecy.SECRET,
            "a further corp's callback Token, set at WeCom for `/wecom/kf/<corpid>` on the push port ([WeCom](wecom.md#several-corps))"),
    WECOM_CORPS_PUSH_AES_KEY("kefu.wecom.corps.<corpid>.push-aes-key", "", Rule.TEXT, Secrecy.SECRET,
            "its callback EncodingAESKey"),
    WECOM_BASE_URL("kefu.wecom.base-url", "https://qyapi.weixin.qq.com", Rule.URL_LIST, Secrecy.PLAIN,
            "WeCom API root; a comma-separated list is the failover order on connection failure"),
    WECOM_PUSH_TOKEN("kefu.wecom.push-token", "", Rule.TEXT, Secrecy.SECRET,
            "its callback Token, set at WeCom for `/wecom/kf` on the push port; empty: no callbacks for it"),
    WECOM_PUSH_AES_KEY("kefu.wecom.push-aes-key", "", Rule.TEXT, Secrecy.SECRET,
            "the callback's EncodingAESKey (WeCom's callbacks are always encrypted)"),
    WECOM_WELCOME_TEXT("kefu.wecom.welcome-text", "", Rule.TEXT, Secrecy.PLAIN,
            "answered to a customer entering a session, with the event's welcome code within its 20 s; empty: none (a route may answer)"),
    WECOM_PULL_LEASE("kefu.wecom.pull-lease", "30s", Rule.POSITIVE_DURATION, Secrecy.PLAIN,
            "how long one relay pulls a kf account's messages without renewing its claim; one that died frees it after this");

    /** What stands for the account in a per-account key's name: an appid, or a WeCom corp's id (a regex). */
    private static final String ACCOUNT = "<appid>|<corpid>";

    private final String key;
    private final String defaultValue;
    private final Rule rule;
    private final boolean secret;
    private final String description;
    private final Pattern pattern;
    /** Where the account stands in a per-account key's name; both 0 in a plain key's. */
    private final int accountStart;
    private final int accountEnd;

    Key(String key, String defaultValue, Rule rule, Secrecy secrecy, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.rule = rule;
        this.secret = secrecy == Secrecy.SECRET;
        this.description = description;
        var account = Pattern.compile(ACCOUNT).matcher(key);
        boolean perAccount = account.find();
        this.accountStart = perAccount ? account.start() : 0;
        this.accountEnd = perAccount ? account.end() : 0;
        this.pattern = !perAccount ? null : Pattern.compile(Pattern.quote(key.substring(0, accountStart))
                + "([^.]+)" + Pattern.quote(key.substring(accountEnd)));
    }

    /** The key as the user writes it; for a per-account one, with {@code <appid>} (or {@code <corpid>}) in it. */
    public String key() {
        return key;
    }

    /** The per-account key of one appid (or corp). */
    public String key(String appid) {
        return pattern == null ? key : key.substring(0, accountStart) + appid + key.substring(accountEnd);
    }

    public String defaultValue() {
        return defaultValue;
    }

    public Rule rule() {
        return rule;
    }

    /** Never printed: not in a message, {@code toString()} or Camel's start summary. */
    public boolean secret() {
        return secret;
    }

    /** The user-facing text of the docs' property table. */
    public String description() {
        return description;
    }

    /** One key per account: its name holds {@code <appid>} or {@code <corpid>}. */
    public boolean perAccount() {
        return pattern != null;
    }

    /** The appid of a per-account key given as {@code name}, or empty when the name is not this row's. */
    Optional<String> appidOf(String name) {
        if (pattern == null) {
            return Optional.empty();
        }
        var m = pattern.matcher(name);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The part of a per-account key before and after the appid. */
    String prefix() {
        return key.substring(0, accountStart);
    }

    String suffix() {
        return key.substring(accountEnd);
    }

    /** The row of a plain key, or of the per-account key a name is one of. */
    public static Optional<Key> of(String name) {
        return Arrays.stream(values()).filter(k -> k.pattern == null ? k.key.equals(name) : k.appidOf(name).isPresent())
                .findFirst();
    }

    /** The plain keys and their defaults (empty: none), in the table's order. */
    static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        for (Key k : values()) {
            if (!k.perAccount()) {
                d.put(k.key, k.defaultValue);
            }
        }
        return java.util.Collections.unmodifiableMap(d);
    }

    enum Secrecy {
        PLAIN, SECRET
    }
}
