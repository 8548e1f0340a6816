package dev.kefurelay.component;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.kefurelay.media.AllowHosts;
import dev.kefurelay.media.LocalMediaIds;
import dev.kefurelay.media.MediaIds;
import dev.kefurelay.media.MediaLimits;
import dev.kefurelay.media.MediaUploads;
import dev.kefurelay.media.SharedMediaIds;
import dev.kefurelay.media.UrlFetch;
import dev.kefurelay.message.AccountKinds;
import dev.kefurelay.message.MessageReader;
import dev.kefurelay.store.JdbcStore;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.LocalStore;
import dev.kefurelay.store.StoreListener;
import dev.kefurelay.store.StoreSettings;
import dev.kefurelay.token.OptionNames;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenMode;
import dev.kefurelay.token.TokenSources;
import dev.kefurelay.wechat.RetryPolicy;
import dev.kefurelay.util.Strings;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.wecom.WeComSending;
import dev.kefurelay.wecom.WeComSettings;
import org.apache.camel.spi.ExecutorServiceManager;

/**
 * What one started component sends with, built at start from its options and closed at stop: the WeChat client
 * (one HTTP client and connection pool), the store, the token caches, the quota pauses, the media and send steps,
 * and the three thread pools (continuations, token fetches, the retry scheduler, which also purges old ids and
 * windows).
 */
record SendingState(WeChatClient client, KefuStore store, UrlFetch urls, TokenSources tokens, AccountKinds kinds,
        SendSteps steps, QuotaPauses pauses, Outcomes outcomes, ComponentPool continuations,
        List<ExecutorService> executors, ExecutorServiceManager executorManager, WeComSending wecom) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SendingState.class);

    /** Ids remembered for duplicate suppression; Caffeine evicts the oldest beyond this. */
    static final long MAX_DELIVERED_IDS = 1_000_000;
    /** Media ids remembered; each stands for one distinct content per account. */
    static final long MAX_MEDIA_IDS = 100_000;
    /** How often ids older than 48 hours, and windows closed longer ago than that, are purged from the store. */
    static final Duration PURGE_EVERY = Duration.ofHours(1);

    /**
     * Checks the options and builds the state.
     *
     * @param owner the component: the thread pools are registered as its own
     * @throws IllegalArgumentException an option is wrong or missing; the message names it, never a value
     */
    static SendingState start(WeChatKefuComponentConfiguration c, OptionNames names, ExecutorServiceManager executors,
            Object owner) {
        List<URI> baseUrls = OptionChecks.baseUrls(c.getBaseUrl(), names);
        TokenSources.Settings settings = OptionChecks.tokenSettings(c, names);
        AccountKinds kinds = new AccountKinds(OptionChecks.accountKinds(c.getAccountKinds(), names));
        WeComSettings wecomSettings = OptionChecks.wecomSettings(c, names);
        AllowHosts allowHosts = AllowHosts.parse(c.getMediaAllowHosts(), names.name("media-allow-hosts"));
        Duration urlTimeout = c.getMediaUrlTimeout();
        if (urlTimeout == null || urlTimeout.isZero() || urlTimeout.isNegative()) {
            throw new IllegalArgumentException(names.name("media-url-timeout") + " must be more than 0, not " + urlTimeout);
        }
        ExecutorService threads = executors.newCachedThreadPool(owner, "wechat-kefu");
        ComponentPool continuations = new ComponentPool(threads);
        ExecutorService fetchers = executors.newCachedThreadPool(owner, "wechat-kefu-token-fetch");
        ScheduledExecutorService retries = executors.newSingleThreadScheduledExecutor(owner, "wechat-kefu-retry");
        // the calls to WeChat block; they run on the caller's thread (synchronous=true) or on the continuation
        // pool, where the caller's route then goes on (see SendSteps, WeChatKefuProducer)
        RetryPolicy retry = new RetryPolicy(c.getRetryMax(), c.getRetryDelay(), c.getRetryMaxDelay());
        // a copy of an id in flight waits for that copy as long as its delivery can take
        Duration perCall = c.getConnectTimeout().multipliedBy(baseUrls.size()).plus(c.getReadTimeout());
        Duration idWait = retry.longestDelivery(perCall);
        StoreSettings storeSettings = new StoreSettings(c.getStoreLockTimeout(), idWait, MAX_DELIVERED_IDS,
                Clock.systemUTC(), c.getStoreListener() == null ? StoreListener.NONE : c.getStoreListener());
        KefuStore store = c.getStoreDataSource() != null ? JdbcStore.open(c.getStoreDataSource(), storeSettings)
                : LocalStore.open(Path.of(c.getStoreDir()), storeSettings);
        WeChatClient client = new WeChatClient(baseUrls, c.getConnectTimeout(), c.getReadTimeout(),
                c.isRetryUnknownOutcome());
        TokenSources.Caches caches = (name, kind, source) -> new TokenCache(name, kind, source, store,
                c.getRefreshAhead(), fetchers, retries, Ticker.systemTicker(), Clock.systemUTC());
        TokenSources tokens = TokenSources.forMode(settings, client, store, caches);
        Outcomes outcomes = new Outcomes(c.getOutcomeListener());
        UrlFetch downloads = new UrlFetch(c.getConnectTimeout(), urlTimeout, allowHosts);
        // one memory of uploaded ids for both platforms: a WeCom corp's are kept apart under wecom:<corpid>
        MediaUploads.Shared sources = new MediaUploads.Shared(c.getMediaIds() != null ? c.getMediaIds()
                : mediaIds(store), Path.of(c.getMediaDir()), downloads, outcomes.media());
        // one book for both: WeCom's kf accounts and Official Accounts are told apart by their ids (wk…, wx…)
        WindowBook windows = new WindowBook(store, Clock.systemUTC(), c.isWindowPreempt());
        // WeCom 微信客服 only when a corp is configured: its own client and token cache beside WeChat's
        WeComSending wecom = wecomSettings == null ? null : WeComSending.start(wecomSettings, c.getConnectTimeout(),
                c.getReadTimeout(), store, windows, caches, retry, retries, continuations, outcomes::retrying, sources);
        MediaSteps media = new MediaSteps(client, tokens.tokens(), sources, new MediaLimits(c.getMediaImageMaxSize(),
                c.getMediaVoiceMaxSize(), c.getMediaVideoMaxSize(), c.getMediaThumbMaxSize()), continuations);
        String defaultAppid = settings.mode() == TokenMode.COMPONENT ? null : Strings.blankToNull(c.getAppid());
        QuotaPauses pauses = new QuotaPauses(Clock.systemUTC(), store);
        Attempts attempts = new Attempts(client, tokens.tokens(), pauses, retry, retries, continuations, outcomes,
                media);
        SendSteps steps = new SendSteps(new MessageReader(defaultAppid, kinds), tokens.tokens(), pauses, store,
                windows, idWait, continuations, attempts);
        retries.scheduleWithFixedDelay(() -> purge(store), PURGE_EVERY.toMillis(), PURGE_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        return new SendingState(client, store, downloads, tokens, kinds, steps, pauses, outcomes, continuations,
                List.of(retries, fetchers, threads), executors, wecom);
    }

    /**
     * In memory, with the store behind that: a shared store lets every instance reuse one upload; the local store
     * keeps none, and this is the memory alone.
     */
    private static MediaIds mediaIds(KefuStore store) {
        return new SharedMediaIds(new LocalMediaIds(MAX_MEDIA_IDS, Ticker.systemTicker()), store, Clock.systemUTC());
    }

    private static void purge(KefuStore store) {
        try {
            Instant now = Instant.now();
            store.purgeIds(now.minus(KefuStore.ID_WINDOW));
            store.purgeMedia(now);
            store.purgeWindows(now.minus(KefuStore.WINDOW_KEPT));
        } catch (RuntimeException e) {
            // the next round tries again; ids older than the window count as new meanwhile anyway, and windows kept
            // longer cost only room
            LOG.warn("could not purge old message or media ids or windows from the {}: {}", store.describe(),
                    e.getMessage());
        }
    }

    /** Stops the waiting, the threads, then the client, the downloads and the store. */
    void close() {
        steps.abortWaiting();
        if (wecom != null) {
            wecom.steps().abortWaiting();
        }
        executors.forEach(executorManager::shutdown);
        client.close();
        if (wecom != null) {
            wecom.client().close();
        }
        urls.close();
        store.close();
    }
}
