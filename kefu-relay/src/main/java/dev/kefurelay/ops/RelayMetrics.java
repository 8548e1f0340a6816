package dev.kefurelay.ops;

import dev.kefurelay.component.WindowBook;
import dev.kefurelay.wechat.Channel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.kefurelay.component.Outcome;
import dev.kefurelay.component.OutcomeListener;
import dev.kefurelay.store.StoreListener;
import dev.kefurelay.token.TokenCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The relay's own meters, on the registry that Camel's Prometheus endpoint scrapes (names as Prometheus shows
 * them):
 * <ul>
 *   <li>{@code kefu_messages_delivered_total{appid,channel}} (channel: custom, template, subscribe, wecom),
 *       {@code kefu_messages_duplicate_total{appid}}</li>
 *   <li>{@code appid} is a configured account, {@code unconfigured} for any other appid a message named (so the
 *       label set stays bounded whatever senders write), {@code none} when the input could not be read; a WeCom
 *       message's is its corp (configured too; its kf account is whatever the sender wrote), its channel
 *       {@code wecom}</li>
 *   <li>{@code kefu_messages_failed_total{appid,reason,errcode,channel}} (errcode {@code none} when WeChat gave none,
 *       channel {@code none} when no channel was reached; reason {@code window-closed}: outside the user's window
 *       with no fallback)</li>
 *   <li>{@code kefu_fallbacks_total{appid,channel,outcome=delivered|failed}}: messages sent by their fallback, the
 *       user's window being closed or used up</li>
 *   <li>{@code kefu_windows_open{appid}}: users whose customer-service window with the account is open now (from
 *       the window book, per configured account)</li>
 *   <li>{@code kefu_messages_retries_total{appid}}: attempts made again after a retryable failure</li>
 *   <li>{@code kefu_send_latency_seconds{outcome}}: histogram, from reading a message to its outcome</li>
 *   <li>{@code kefu_token_fetches_total{appid,outcome=success|failure}} (a WeCom corp's under its corp id)</li>
 *   <li>{@code kefu_media_uploads_total{appid,type}}: media sources uploaded to WeChat;
 *       {@code kefu_media_cache_hits_total{appid,type}}: sources whose media_id was known (or being uploaded for
 *       another message); {@code kefu_media_failures_total{appid,type,reason}}: sources that gave no media_id</li>
 *   <li>{@code kefu_queue_depth{queue}}: messages on the input queue and the DLQ (NaN while the broker is away)</li>
 *   <li>{@code kefu_store_latency_seconds{operation,outcome=ok|error}}: every call to the store (one database round
 *       trip or transaction each with PostgreSQL); its count over the delivered messages is the round trips per
 *       message</li>
 *   <li>{@code kefu_store_lock_wait_seconds{acquired=true|false}}: how long token renewals waited for the account's
 *       lock (another relay renewing it), and whether they got it within kefu.store.lock-timeout</li>
 * </ul>
 */
public final class RelayMetrics implements OutcomeListener, StoreListener {

    private static final Duration[] BUCKETS = {Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
        Duration.ofMinutes(2)};

    private final MeterRegistry registry;
    private final Set<String> tokenAccounts = ConcurrentHashMap.newKeySet();
    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Timer> storeTimers = new ConcurrentHashMap<>();
    private volatile TokenCache tokens;
    /** The WeCom corps' tokens, when the relay has corps: whose accounts are corps. */
    private volatile TokenCache wecomTokens;
    /** Whether the relay sends for an appid: the component's live set, known from its start on. */
    private volatile Predicate<String> configured = appid -> false;

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The appid label of a message naming no account the relay can send for. */
    public static final String UNCONFIGURED = "unconfigured";
    /** The channel label of a WeCom 微信客服 message (kf/send_msg). */
    public static final String WECOM = "wecom";

    /**
     * How to tell a configured account, for the appid label. Given before the start: messages may end between the
     * component's start and {@link #tokens}, and a configured account's must not be counted as unconfigured.
     */
    public void accounts(Predicate<String> isConfigured) {
        this.configured = isConfigured;
    }

    /** Token fetch counters of these accounts (more appear as messages name configured ones). */
    public void tokens(TokenCache cache, Set<String> accounts) {
        this.tokens = cache;
        accounts.forEach(appid -> tokenAccount(cache, appid));
        // the meters nearly every message ends in, at 0 from the start: a scrape shows them before the first message
        // (a rate over them starts at the start), and the first messages do not all wait while one registers them
        accounts.forEach(appid -> delivered(appid, Channel.CUSTOM.wireName()));
        latency(Outcome.STATUS_DELIVERED);
    }

    /** Token fetch counters of the WeCom corps; their messages are counted under the corp, channel wecom. */
    public void wecomTokens(TokenCache cache, Set<String> corps) {
        this.wecomTokens = cache;
        corps.forEach(corpid -> tokenAccount(cache, corpid));
    }

    /** Open windows of each configured account, asked of the window book at every scrape. */
    public void windows(WindowBook book, Set<String> accounts) {
        for (String appid : accounts) {
            Gauge.builder("kefu.windows.open", book, b -> b.openWindows(appid))
                    .description("users whose customer-service window with the account is open now")
                    .tag("appid", appid).register(registry);
        }
    }

    /** Depth of each queue, asked of the broker at every scrape. */
    public void queues(BrokerProbe probe, String... queues) {
        for (String queue : queues) {
            Gauge.builder("kefu.queue.depth", probe, p -> depth(p, queue))
                    .description("messages on the queue, in-flight ones included").tag("queue", queue)
                    .register(registry);
        }
    }

    @Override
    public void outcome(String appid, Outcome outcome, long latencyMs) {
        String account = label(appid);
        // a WeCom message that ended before kf/send_msg names no channel: its corp says whose it was
        String channel = outcome.channel() != null ? outcome.channel() : isCorp(appid) ? WECOM : "none";
        switch (outcome.status()) {
            case Outcome.STATUS_DELIVERED -> delivered(account, channel).increment();
            case Outcome.STATUS_DUPLICATE -> counter("kefu.messages.duplicate",
                    "messages not sent again: their id was delivered before", "appid", account).increment();
            default -> counter("kefu.messages.failed", "messages that ended as dead letters", "appid", account,
                    "reason", outcome.reason(),
                    "errcode", outcome.errcode() == null ? "none" : String.valueOf(outcome.errcode()),
                    "channel", channel).increment();
        }
        Channel by = Channel.ofWireName(outcome.channel());
        if (by != null && by.isFallback()) {
            counter("kefu.fallbacks", "messages sent by their fallback outside the user's window", "appid", account,
                    "channel", channel, "outcome", outcome.status()).increment();
        }
        latency(outcome.status()).record(latencyMs, TimeUnit.MILLISECONDS);
        if (account.equals(appid) && !tokenAccounts.contains(appid)) {
            // an account not registered at the start (an authorizer) gets its meters with its first message, from the
            // cache that knows it (a corp named before its cache was given waits for wecomTokens); else one set lookup
            TokenCache cache = isCorp(appid) ? wecomTokens : tokens;
            if (cache != null && cache.isConfigured(appid)) {
                tokenAccount(cache, appid);
            }
        }
    }

    @Override
    public void retry(String appid) {
        counter("kefu.messages.retries", "attempts made again after a retryable failure", "appid", label(appid))
                .increment();
    }

    @Override
    public void mediaUploaded(String appid, String type) {
        counter("kefu.media.uploads", "media sources uploaded to WeChat", "appid", label(appid), "type", type)
                .increment();
    }

    @Override
    public void mediaReused(String appid, String type) {
        counter("kefu.media.cache.hits", "media sources sent with a media_id uploaded before", "appid", label(appid),
                "type", type).increment();
    }

    @Override
    public void mediaFailed(String appid, String type, String reason) {
        counter("kefu.media.failures", "media sources refused, unreadable or not uploaded", "appid", label(appid),
                "type", type, "reason", reason).increment();
    }

    @Override
    public void call(String operation, long nanos, boolean ok) {
        storeTimers.computeIfAbsent(operation + ok, key -> Timer.builder("kefu.store.latency")
                .description("calls to the store (PostgreSQL: one transaction each)").tag("operation", operation)
                .tag("outcome", ok ? "ok" : "error").register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void lockWait(long nanos, boolean acquired) {
        storeTimers.computeIfAbsent("lock-wait" + acquired, key -> Timer.builder("kefu.store.lock.wait")
                .description("waits for an account's token lock in the store").tag("acquired", String.valueOf(acquired))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Whether the appid is one of the WeCom corps (their tokens are WeCom's, their channel wecom). */
    private boolean isCorp(String appid) {
        TokenCache corps = wecomTokens;
        return corps != null && corps.isConfigured(appid);
    }

    private String label(String appid) {
        if (appid == null) {
            return "none";
        }
        return configured.test(appid) ? appid : UNCONFIGURED;
    }

    private Counter delivered(String account, String channel) {
        return counter("kefu.messages.delivered", "messages WeChat accepted", "appid", account, "channel", channel);
    }

    private Timer latency(String status) {
        return latency.computeIfAbsent(status, s -> Timer.builder("kefu.send.latency")
                .description("from reading a message to its outcome, retries included")
                .tag("outcome", s).serviceLevelObjectives(BUCKETS).register(registry));
    }

    /**
     * The counter of this name and these tags, registered on first use. Kept here rather than asked of the registry
     * each time: its lookup builds and sorts a meter id for every message. Keyed by the name and the tags as they
     * are, not a string made of them: this runs for every message on its sending thread.
     */
    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(new MeterKey(name, tags),
                key -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    /**
     * A counter's name and tags (name, value, ...). Its equals and hashCode are written out: a record's own run
     * through method handles, which the launcher's client compiler calls rather than inlines (they cost more than
     * the string key they replaced).
     */
    private record MeterKey(String name, String[] tags) {

        @Override
        public boolean equals(Object other) {
            return other instanceof MeterKey key && name.equals(key.name) && Arrays.equals(tags, key.tags);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(tags);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(tags);
        }
    }

    private void tokenAccount(TokenCache cache, String appid) {
        if (cache == null || !tokenAccounts.add(appid)) {
            return;
        }
        FunctionCounter.builder("kefu.token.fetches", cache, c -> c.fetches(appid) - c.failedFetches(appid))
                .description("access token requests to WeChat and WeCom").tag("appid", appid).tag("outcome", "success")
                .register(registry);
        FunctionCounter.builder("kefu.token.fetches", cache, c -> c.failedFetches(appid))
                .description("access token requests to WeChat and WeCom").tag("appid", appid).tag("outcome", "failure")
                .register(registry);
    }

    private static double depth(BrokerProbe probe, String queue) {
        try {
            long n = probe.messageCount(queue);
            return n < 0 ? Double.NaN : n;
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
