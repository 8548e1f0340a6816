package dev.kefurelay.wecom;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import dev.kefurelay.media.MediaUploads;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.token.TokenCache;
import dev.kefurelay.token.TokenSources;
import dev.kefurelay.wechat.RetryPolicy;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.window.WindowKeeper;

/**
 * What a started component sends WeCom 微信客服 messages with, when a corp is configured: its own client (WeCom's API
 * root, its own connection pool), the corps' token cache (rows {@code wecom.<corpid>} of the shared store) and the
 * send flow. Built and closed by the component with the rest of its state.
 *
 * @param corps the configured corps
 */
public record WeComSending(WeChatClient client, TokenCache tokens, WeComSteps steps, KefuStore store,
        WindowKeeper windows, Set<String> corps) {

    /**
     * @param windows   the component's window book: kept around each message to a customer, and fed by the pulls
     * @param caches    makes a token cache with the component's store, executor and refresh-ahead
     * @param scheduler the component's retry scheduler
     * @param pool      where calls run and what follows them goes on
     * @param media     the media folder, downloads, remembered ids and meters Official Account messages use too
     * @param retrying  told before each retry, with the message's corp (for metrics)
     */
    public static WeComSending start(WeComSettings settings, Duration connectTimeout, Duration readTimeout,
            KefuStore store, WindowKeeper windows, TokenSources.Caches caches, RetryPolicy retry,
            ScheduledExecutorService scheduler, Executor pool, Consumer<String> retrying, MediaUploads.Shared media) {
        // retryUnknownOutcome false: a lost answer must reach WeComSteps as unknown-outcome, which it retries itself
        WeChatClient client = new WeChatClient(settings.baseUrls(), connectTimeout, readTimeout, false);
        TokenCache tokens = caches.over("WeCom access token", "wecom", new WeComTokens(client, settings.corps(),
                settings.names()));
        WeComSteps steps = new WeComSteps(new WeComMessageReader(settings.defaultCorpid(), settings.names()),
                new WeComMedia(client, tokens, media, pool), client, tokens, store, windows,
                new ReusedMsgid(settings.reusedErrcodes()), retry, scheduler, pool, retrying);
        return new WeComSending(client, tokens, steps, store, windows, Set.copyOf(settings.corps().keySet()));
    }

    /**
     * A puller of kf accounts' messages for an application that receives WeCom's callbacks (the relay); each
     * customer's message it pulls opens their window in the book.
     *
     * @param owner names this puller in the store's leases (unique per process)
     * @param lease how long a pull holds a kf account without renewing; a puller that died frees it after that
     */
    public KfPuller puller(String owner, Duration lease) {
        return new KfPuller(client, tokens, store, java.time.Clock.systemUTC(), owner, lease, steps::idOf,
                windows);
    }
}
