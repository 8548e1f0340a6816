package dev.kefurelay.component;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.media.LocalMediaIds;
import dev.kefurelay.media.MediaIds;
import dev.kefurelay.media.MediaLimits;
import dev.kefurelay.media.SharedMediaIds;
import dev.kefurelay.media.UrlFetch;
import dev.kefurelay.message.MessageReader;
import dev.kefurelay.store.JdbcStore;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.LocalStore;
import dev.kefurelay.store.StoreListener;
import dev.kefurelay.store.StoreSettings;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenMode;
import dev.kefurelay.token.TokenSources;
import dev.kefurelay.wechat.RetryPolicy;
import dev.kefurelay.wechat.WeChatClient;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * The {@code wechat-kefu} component. Each instance holds one sending state: the WeChat client (one HTTP client
 * and connection pool), the token caches with single flight, the store (local folder, or PostgreSQL shared by
 * several instances: tokens, ids delivered in the last 48 hours, accounts paused for their daily quota, refresh
 * tokens and the verify ticket), and the scheduler of retries. It starts nothing else: no server, no consumer.
 * Options are bound from {@code camel.component.wechat-kefu.*} or set in Java before the component starts.
 */
@Component("wechat-kefu")
public class WeChatKefuComponent extends DefaultComponent {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WeChatKefuComponent.class);

    /** Ids remembered for duplicate suppression; Caffeine evicts the oldest beyond this. */
    static final long MAX_DELIVERED_IDS = 1_000_000;
    /** Media ids remembered; each stands for one distinct content per account. */
    static final long MAX_MEDIA_IDS = 100_000;

    @Metadata(defaultValue = "https://api.weixin.qq.com",
            description = "Base URL of the WeChat API; several, comma separated, in failover order: the next one is "
                    + "tried only when no connection could be made to the one before.")
    private String baseUrl = "https://api.weixin.qq.com";
    @Metadata(defaultValue = "stable", enums = "stable,client-credential,component",
            description = "How access tokens are obtained: stable (stable_token), client-credential (cgi-bin/token) "
                    + "or component (a third-party platform's authorizer tokens).")
    private String tokenMode = "stable";
    @Metadata(description = "The default sending account's appid (stable and client-credential modes): used when "
            + "a message names none.")
    private String appid;
    @Metadata(label = "security", secret = true, description = "The appsecret of the default account.")
    private String secret;
    @Metadata(label = "security", secret = true,
            description = "Further official accounts: a map of appid to appsecret.")
    private Map<String, String> accounts = new LinkedHashMap<>();
    @Metadata(label = "component-mode", description = "The third-party platform's appid (component mode).")
    private String componentAppid;
    @Metadata(label = "component-mode,security", secret = true,
            description = "The third-party platform's appsecret (component mode).")
    private String componentSecret;
    @Metadata(label = "component-mode,security", secret = true,
            description = "A component_verify_ticket to start with, while the store holds none (component mode).")
    private String componentTicket;
    @Metadata(label = "component-mode,security", secret = true,
            description = "Authorizers of the platform: appid to authorizer_refresh_token, imported into the store "
                    + "once (component mode).")
    private Map<String, String> authorizers = new LinkedHashMap<>();
    @Metadata(defaultValue = "data/store",
            description = "Folder of the local store: the ids delivered in the last 48 hours, quota pauses, and in "
                    + "component mode the latest ticket and the rotated refresh tokens. Not used with storeDataSource.")
    private String storeDir = "data/store";
    @Metadata(label = "advanced", javaType = "javax.sql.DataSource",
            description = "A pooled DataSource of a PostgreSQL database that keeps every state instead of the local "
                    + "store: instances sharing it send as one (one token fetch per account per token life, an id "
                    + "delivered once, quota pauses for all, a picture uploaded once). The schema is created and "
                    + "migrated at start.")
    private javax.sql.DataSource storeDataSource;
    @Metadata(defaultValue = "10s", javaType = "java.time.Duration",
            description = "The longest a token renewal waits for another instance holding the account's lock; then "
                    + "the message is retried.")
    private Duration storeLockTimeout = Duration.ofSeconds(10);
    @Metadata(label = "advanced", autowired = true,
            description = "Told of every store call's latency and of token lock waits (e.g. for metrics); a single "
                    + "bean of this type in the registry is used.")
    private StoreListener storeListener;
    @Metadata(defaultValue = "60s", javaType = "java.time.Duration",
            description = "A token is renewed this long before WeChat's expires_in runs out.")
    private Duration refreshAhead = Duration.ofSeconds(60);
    @Metadata(defaultValue = "5", description = "How many times a retryable failure (WeChat busy -1, minute quota "
            + "45011, HTTP 5xx or 429, no connection) is tried again before the message fails as retries-exhausted.")
    private int retryMax = 5;
    @Metadata(defaultValue = "1s", javaType = "java.time.Duration",
            description = "Wait before the first retry; it doubles for each further retry.")
    private Duration retryDelay = Duration.ofSeconds(1);
    @Metadata(defaultValue = "30s", javaType = "java.time.Duration", description = "The longest wait between retries.")
    private Duration retryMaxDelay = Duration.ofSeconds(30);
    @Metadata(defaultValue = "false", description = "Retry a custom/send whose answer was lost (read timeout, "
            + "connection reset after the request was sent). Off by default: WeChat may have delivered it, and a "
            + "retry may deliver it twice; the message fails as unknown-outcome instead.")
    private boolean retryUnknownOutcome;
    @Metadata(defaultValue = "5s", javaType = "java.time.Duration",
            description = "Connect timeout of calls to the WeChat API.")
    private Duration connectTimeout = Duration.ofSeconds(5);
    @Metadata(defaultValue = "30s", javaType = "java.time.Duration",
            description = "How long a call to the WeChat API waits for the answer.")
    private Duration readTimeout = Duration.ofSeconds(30);
    @Metadata(label = "media", defaultValue = "data/media",
            description = "The folder of media sources given as file / thumb_file: a path is relative to it and must "
                    + "stay inside it (no absolute path, no '..', no symbolic link out of it). A route may name "
                    + "another folder per message in the exchange property KefuMediaDir (the relay's inbox does: "
                    + "files beside the dropped message file).")
    private String mediaDir = "data/media";
    @Metadata(label = "media", defaultValue = "10485760", description = "Largest image (PNG, JPEG, GIF) in bytes. "
            + "WeChat's page gives 10 MB in its table and 2 MB in its text; set 2097152 for the stricter reading.")
    private long mediaImageMaxSize = MediaLimits.DEFAULTS.image();
    @Metadata(label = "media", defaultValue = "2097152", description = "Largest voice (AMR, MP3) in bytes.")
    private long mediaVoiceMaxSize = MediaLimits.DEFAULTS.voice();
    @Metadata(label = "media", defaultValue = "10485760", description = "Largest video (MP4) in bytes.")
    private long mediaVideoMaxSize = MediaLimits.DEFAULTS.video();
    @Metadata(label = "media", defaultValue = "65536", description = "Largest thumb (JPEG) in bytes.")
    private long mediaThumbMaxSize = MediaLimits.DEFAULTS.thumb();
    @Metadata(label = "media", defaultValue = "30s", javaType = "java.time.Duration",
            description = "The longest a source_url download may take, however slowly the server sends; it is cut "
                    + "off then (and at the type's size limit), and the message fails as invalid-input.")
    private Duration mediaUrlTimeout = Duration.ofSeconds(30);
    @Metadata(label = "media,advanced", description = "Where uploaded media ids are remembered, per account and "
            + "content (SHA-256), until an hour before WeChat's 3 days end. Default: in memory, per component, and "
            + "with storeDataSource in the shared store too, so that every instance sends a picture from one upload.")
    private MediaIds mediaIds;
    @Metadata(label = "advanced", autowired = true,
            description = "Told of every message's outcome and retry (e.g. for metrics); a single bean of this type "
                    + "in the registry is used.")
    private OutcomeListener outcomeListener;

    private volatile State state;
    /** Tells the store that the application stops (see doStart). */
    private LifecycleStrategySupport stopping;

    /** The sending state, built at start from the options. */
    private record State(WeChatClient client, KefuStore store, UrlFetch urls, TokenSources tokens, SendSteps steps,
            Outcomes outcomes, ExecutorService continuations, List<ExecutorService> executors) {
    }

    /** How often ids older than 48 hours are purged from the store. */
    static final Duration PURGE_EVERY = Duration.ofHours(1);

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        WeChatKefuConfiguration configuration = new WeChatKefuConfiguration();
        configuration.setOperation(operation(remaining));
        WeChatKefuEndpoint endpoint = new WeChatKefuEndpoint(uri, this, configuration);
        setProperties(endpoint, parameters);
        String failure = configuration.getFailure();
        if (!WeChatKefuConfiguration.FAILURE_EXCEPTION.equals(failure)
                && !WeChatKefuConfiguration.FAILURE_OUTCOME.equals(failure)) {
            throw new IllegalArgumentException("wechat-kefu: failure=" + failure + " is not exception or outcome");
        }
        return endpoint;
    }

    private static WeChatKefuOperation operation(String remaining) {
        try {
            return WeChatKefuOperation.valueOf(remaining);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wechat-kefu:" + remaining + " is not an operation: use "
                    + "wechat-kefu:send or wechat-kefu:typing");
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        TokenMode mode = mode();
        List<URI> urls = baseUrls();
        TokenSources.Settings settings = tokenSettings(mode);
        var executors = getCamelContext().getExecutorServiceManager();
        ExecutorService continuations = executors.newCachedThreadPool(this, "wechat-kefu");
        ExecutorService fetchers = executors.newCachedThreadPool(this, "wechat-kefu-token-fetch");
        ScheduledExecutorService retries = executors.newSingleThreadScheduledExecutor(this, "wechat-kefu-retry");
        // the calls to WeChat block; they run on the caller's thread (synchronous=true) or on the continuation
        // pool, where the caller's route then goes on (see SendSteps, WeChatKefuProducer)
        RetryPolicy retry = new RetryPolicy(retryMax, retryDelay, retryMaxDelay);
        // a copy of an id in flight waits for that copy as long as its delivery can take
        Duration perCall = connectTimeout.multipliedBy(urls.size()).plus(readTimeout);
        Duration idWait = retry.longestDelivery(perCall);
        StoreSettings storeSettings = new StoreSettings(storeLockTimeout, idWait, MAX_DELIVERED_IDS, Clock.systemUTC(),
                storeListener == null ? StoreListener.NONE : storeListener);
        KefuStore store = storeDataSource != null ? JdbcStore.open(storeDataSource, storeSettings)
                : LocalStore.open(Path.of(storeDir), storeSettings);
        WeChatClient client = new WeChatClient(urls, connectTimeout, readTimeout, retryUnknownOutcome);
        TokenSources tokens = TokenSources.forMode(settings, client, store, (name, kind, source) -> new TokenCache(
                name, kind, source, store, refreshAhead, fetchers, Ticker.systemTicker(), Clock.systemUTC()));
        Outcomes outcomes = new Outcomes(outcomeListener);
        UrlFetch downloads = new UrlFetch(connectTimeout, mediaUrlTimeout);
        MediaSteps media = new MediaSteps(client, tokens.tokens(), mediaIds != null ? mediaIds : mediaIds(store),
                new MediaLimits(mediaImageMaxSize, mediaVoiceMaxSize, mediaVideoMaxSize, mediaThumbMaxSize),
                Path.of(mediaDir), downloads, outcomes, continuations);
        SendSteps steps = new SendSteps(new MessageReader(mode == TokenMode.COMPONENT ? null : blankToNull(appid)),
                client, tokens.tokens(), new QuotaPauses(Clock.systemUTC(), store), store, idWait, retry,
                retries, continuations, outcomes, media);
        retries.scheduleWithFixedDelay(() -> purge(store), PURGE_EVERY.toMillis(), PURGE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        state = new State(client, store, downloads, tokens, steps, outcomes, continuations,
                List.of(retries, fetchers, continuations));
        // before the routes stop, not when this component does (after them): a route's graceful stop waits for its
        // messages in flight, and one waiting for a store that is away would hold it up
        stopping = new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext context) {
                store.stopWaiting();
            }
        };
        getCamelContext().addLifecycleStrategy(stopping);
    }

    /** In memory; with the shared store behind that, so that every instance reuses one upload. */
    private static MediaIds mediaIds(KefuStore store) {
        LocalMediaIds local = new LocalMediaIds(MAX_MEDIA_IDS, Ticker.systemTicker());
        return store instanceof JdbcStore shared ? new SharedMediaIds(local, shared, Clock.systemUTC()) : local;
    }

    private static void purge(KefuStore store) {
        try {
            store.purgeIds(Instant.now().minus(KefuStore.ID_WINDOW));
            if (store instanceof JdbcStore shared) {
                shared.purgeMedia(Instant.now());
            }
        } catch (RuntimeException e) {
            // the next round tries again; ids older than the window count as new meanwhile anyway
            LOG.warn("could not purge old message or media ids from the {}: {}", store.describe(), e.getMessage());
        }
    }

    @Override
    protected void doStop() throws Exception {
        State s = state;
        state = null;
        if (stopping != null) {
            getCamelContext().getLifecycleStrategies().remove(stopping);
            stopping = null;
        }
        if (s != null) {
            s.steps().abortWaiting();
            s.executors().forEach(e -> getCamelContext().getExecutorServiceManager().shutdown(e));
            s.client().close();
            s.urls().close();
            s.store().close();
        }
        super.doStop();
    }

    private TokenMode mode() {
        try {
            return TokenMode.parse(tokenMode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("camel.component.wechat-kefu.token-mode: " + e.getMessage());
        }
    }

    /** Checks the options a mode needs; the message names the option, never a value. */
    private TokenSources.Settings tokenSettings(TokenMode mode) {
        Map<String, String> secrets = new LinkedHashMap<>();
        accounts.forEach((id, s) -> secrets.put(id.strip(), s == null ? "" : s.strip()));
        if (blankToNull(appid) != null) {
            secrets.put(appid.strip(), secret == null ? "" : secret.strip());
        }
        List<String> missing = new ArrayList<>();
        if (mode == TokenMode.COMPONENT) {
            if (blankToNull(componentAppid) == null) {
                missing.add("component-appid");
            }
            if (blankToNull(componentSecret) == null) {
                missing.add("component-secret");
            }
        } else {
            // no account at all is allowed: endpoints may bring theirs (option secret, e.g. the Kamelet's), and a
            // message for an appid nobody configured fails as invalid-input naming these options
            secrets.forEach((id, s) -> {
                if (s.isEmpty()) {
                    missing.add(id.equals(blankToNull(appid)) ? "secret" : "accounts[" + id + "]");
                }
            });
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("wechat-kefu (token mode " + mode.wireName() + ") needs "
                    + String.join(", ", missing.stream().map(k -> "camel.component.wechat-kefu." + k).toList()));
        }
        Map<String, String> seeds = new LinkedHashMap<>();
        authorizers.forEach((id, t) -> seeds.put(id.strip(), t == null ? "" : t.strip()));
        return new TokenSources.Settings(mode, Map.copyOf(secrets), blankToNull(componentAppid),
                blankToNull(componentSecret), blankToNull(componentTicket), Map.copyOf(seeds));
    }

    private List<URI> baseUrls() {
        List<URI> urls = new ArrayList<>();
        for (String part : (baseUrl == null ? "" : baseUrl).split(",")) {
            String url = part.strip();
            if (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            if (url.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("camel.component.wechat-kefu.base-url: '" + url + "' is not a URL");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("camel.component.wechat-kefu.base-url: '" + url
                        + "' is not an http(s) URL");
            }
            urls.add(uri);
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("camel.component.wechat-kefu.base-url is empty");
        }
        return urls;
    }

    private State state() {
        State s = state;
        if (s == null) {
            throw new IllegalStateException("the wechat-kefu component is not started");
        }
        return s;
    }

    SendSteps steps() {
        return state().steps();
    }

    Outcomes outcomes() {
        return state().outcomes();
    }

    /** Where an exchange goes on once its outcome is known (and where its calls ran, unless synchronous). */
    ExecutorService continuations() {
        return state().continuations();
    }

    /** The store of this component's state: for health checks. */
    public KefuStore store() {
        return state().store();
    }

    /** The sending tokens (per account, or per authorizer in component mode): for health checks and metrics. */
    public TokenCache tokens() {
        return state().tokens().tokens();
    }

    /**
     * Whether this component sends for the appid now (a configured account, a known authorizer); false before it
     * started. For labels and checks that must not name every appid a message may carry.
     */
    public boolean isConfigured(String appid) {
        State s = state;
        return s != null && s.tokens().tokens().isConfigured(appid);
    }

    /** Makes an account known whose secret an endpoint brings (see the endpoint option {@code secret}). */
    void addAccount(String appid, String secret) {
        state().tokens().addAccount(appid, secret);
    }

    /** Component mode's inputs (tickets, authorizers' refresh tokens); empty in the other modes. */
    public Optional<TokenSources.Platform> platform() {
        return state().tokens().platform();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getTokenMode() {
        return tokenMode;
    }

    public void setTokenMode(String tokenMode) {
        this.tokenMode = tokenMode;
    }

    public String getAppid() {
        return appid;
    }

    public void setAppid(String appid) {
        this.appid = appid;
    }

    public String getSecret() {
        return secret;
    }

    public void setSecret(String secret) {
        this.secret = secret;
    }

    public Map<String, String> getAccounts() {
        return accounts;
    }

    public void setAccounts(Map<String, String> accounts) {
        this.accounts = accounts;
    }

    public String getComponentAppid() {
        return componentAppid;
    }

    public void setComponentAppid(String componentAppid) {
        this.componentAppid = componentAppid;
    }

    public String getComponentSecret() {
        return componentSecret;
    }

    public void setComponentSecret(String componentSecret) {
        this.componentSecret = componentSecret;
    }

    public String getComponentTicket() {
        return componentTicket;
    }

    public void setComponentTicket(String componentTicket) {
        this.componentTicket = componentTicket;
    }

    public Map<String, String> getAuthorizers() {
        return authorizers;
    }

    public void setAuthorizers(Map<String, String> authorizers) {
        this.authorizers = authorizers;
    }

    public String getStoreDir() {
        return storeDir;
    }

    public void setStoreDir(String storeDir) {
        this.storeDir = storeDir;
    }

    public javax.sql.DataSource getStoreDataSource() {
        return storeDataSource;
    }

    public void setStoreDataSource(javax.sql.DataSource storeDataSource) {
        this.storeDataSource = storeDataSource;
    }

    public Duration getStoreLockTimeout() {
        return storeLockTimeout;
    }

    public void setStoreLockTimeout(Duration storeLockTimeout) {
        this.storeLockTimeout = storeLockTimeout;
    }

    public StoreListener getStoreListener() {
        return storeListener;
    }

    public void setStoreListener(StoreListener storeListener) {
        this.storeListener = storeListener;
    }

    public Duration getRefreshAhead() {
        return refreshAhead;
    }

    public void setRefreshAhead(Duration refreshAhead) {
        this.refreshAhead = refreshAhead;
    }

    public int getRetryMax() {
        return retryMax;
    }

    public void setRetryMax(int retryMax) {
        this.retryMax = retryMax;
    }

    public Duration getRetryDelay() {
        return retryDelay;
    }

    public void setRetryDelay(Duration retryDelay) {
        this.retryDelay = retryDelay;
    }

    public Duration getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(Duration retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public boolean isRetryUnknownOutcome() {
        return retryUnknownOutcome;
    }

    public void setRetryUnknownOutcome(boolean retryUnknownOutcome) {
        this.retryUnknownOutcome = retryUnknownOutcome;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public String getMediaDir() {
        return mediaDir;
    }

    public void setMediaDir(String mediaDir) {
        this.mediaDir = mediaDir;
    }

    public long getMediaImageMaxSize() {
        return mediaImageMaxSize;
    }

    public void setMediaImageMaxSize(long mediaImageMaxSize) {
        this.mediaImageMaxSize = mediaImageMaxSize;
    }

    public long getMediaVoiceMaxSize() {
        return mediaVoiceMaxSize;
    }

    public void setMediaVoiceMaxSize(long mediaVoiceMaxSize) {
        this.mediaVoiceMaxSize = mediaVoiceMaxSize;
    }

    public long getMediaVideoMaxSize() {
        return mediaVideoMaxSize;
    }

    public void setMediaVideoMaxSize(long mediaVideoMaxSize) {
        this.mediaVideoMaxSize = mediaVideoMaxSize;
    }

    public long getMediaThumbMaxSize() {
        return mediaThumbMaxSize;
    }

    public void setMediaThumbMaxSize(long mediaThumbMaxSize) {
        this.mediaThumbMaxSize = mediaThumbMaxSize;
    }

    public Duration getMediaUrlTimeout() {
        return mediaUrlTimeout;
    }

    public void setMediaUrlTimeout(Duration mediaUrlTimeout) {
        this.mediaUrlTimeout = mediaUrlTimeout;
    }

    public MediaIds getMediaIds() {
        return mediaIds;
    }

    public void setMediaIds(MediaIds mediaIds) {
        this.mediaIds = mediaIds;
    }

    public OutcomeListener getOutcomeListener() {
        return outcomeListener;
    }

    public void setOutcomeListener(OutcomeListener outcomeListener) {
        this.outcomeListener = outcomeListener;
    }
}
