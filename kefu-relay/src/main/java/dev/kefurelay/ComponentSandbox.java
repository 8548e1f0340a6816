package dev.kefurelay;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.store.JdbcStore;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.LocalStore;
import dev.kefurelay.store.StoreListener;
import dev.kefurelay.store.StoreSettings;
import dev.kefurelay.token.RefreshTokens;
import dev.kefurelay.token.VerifyTicket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the sandbox know the platform, its authorizers and the ticket (kefu.sandbox=true in component mode).
 * The sandbox starts empty on every run while the store remembers rotated refresh tokens, so it is told the
 * values the relay will actually present: the stored ones, not the seeds.
 */
final class ComponentSandbox {

    private static final Logger LOG = LoggerFactory.getLogger(ComponentSandbox.class);

    private ComponentSandbox() {
    }

    /**
     * With push endpoints on (kefu.push.port), the sandbox pushes to them as WeChat would, with the relay's push
     * token and key: its {@code /sandbox/push/*} URLs let a person trigger a ticket, an authorization or a user's
     * message with curl.
     */
    static void pushTo(WeChatSandbox sandbox, KefuSettings settings) {
        if (!settings.push().on()) {
            return;
        }
        String appid = settings.tokenMode() == dev.kefurelay.token.TokenMode.COMPONENT
                ? settings.accounts().componentAppid() : settings.defaultAppid();
        sandbox.pushTo(pushRoot(settings), settings.push().token().value(), settings.push().aesKey().value(), appid);
        LOG.info("sandbox pushes to the relay: curl -X POST {}/sandbox/push/ticket | /sandbox/push/authorized?appid=… | "
                + "/sandbox/push/unauthorized?appid=… | /sandbox/push/text?appid=…&openid=…&content=…", sandbox.baseUrl());
    }

    /** The relay's push endpoints as the sandbox on this machine reaches them (kefu.push.port must be on). */
    static String pushRoot(KefuSettings settings) {
        String bind = settings.push().bind();
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + settings.push().port();
    }

    /**
     * The store the component will use, open for {@code reading}: the PostgreSQL one when {@code storePool} is given
     * (kefu.store.url), else the local folder. Closed again before the component opens it (the pool stays open: the
     * component's).
     */
    static void withStore(KefuSettings settings, DataSource storePool, java.util.function.Consumer<KefuStore> reading) {
        StoreSettings storeSettings = new StoreSettings(settings.store().lockTimeout(),
                Duration.ofSeconds(1), 1, Clock.systemUTC(), StoreListener.NONE);
        try (KefuStore store = storePool != null ? JdbcStore.open(storePool, storeSettings)
                : LocalStore.open(settings.store().dir(), storeSettings)) {
            reading.accept(store);
        }
    }

    /**
     * Reads the store the component will use: the PostgreSQL one when {@code storePool} is given (kefu.store.url),
     * else the local folder. Closed again before the component opens it (the pool stays open: the component's).
     */
    static void register(WeChatSandbox sandbox, KefuSettings settings, DataSource storePool) {
        sandbox.component(settings.accounts().componentAppid(), settings.accounts().componentSecret().value());
        withStore(settings, storePool, store -> {
            new VerifyTicket(store, settings.accounts().componentTicket().value(), Clock.systemUTC()).latest()
                    .ifPresent(t -> sandbox.verifyTicket(t.value()));
            RefreshTokens refreshTokens = new RefreshTokens(store, settings.refreshTokenSeeds());
            settings.refreshTokenSeeds().keySet().forEach(appid ->
                    refreshTokens.current(appid).ifPresent(token -> sandbox.authorizer(appid, token)));
        });
        LOG.info("sandbox third-party platform {} with authorizers {}, as the {} holds them",
                settings.accounts().componentAppid(), settings.refreshTokenSeeds().keySet(),
                storePool != null ? "PostgreSQL store" : "local store");
    }
}
