package dev.kefurelay;

import java.time.Clock;

import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.sandbox.WeChatSandbox;
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

    static void register(WeChatSandbox sandbox, KefuSettings settings) {
        sandbox.component(settings.get("kefu.component.appid"), settings.get("kefu.component.secret"));
        // the demo runs one relay on the local store (closed again before the component opens it)
        try (KefuStore store = LocalStore.open(settings.path("kefu.store.dir"), new StoreSettings(
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), 1, Clock.systemUTC(),
                StoreListener.NONE))) {
            new VerifyTicket(store, settings.get("kefu.component.ticket"), Clock.systemUTC()).latest()
                    .ifPresent(t -> sandbox.verifyTicket(t.value()));
            RefreshTokens refreshTokens = new RefreshTokens(store, settings.refreshTokenSeeds());
            settings.refreshTokenSeeds().keySet().forEach(appid ->
                    refreshTokens.current(appid).ifPresent(token -> sandbox.authorizer(appid, token)));
        }
        LOG.info("sandbox third-party platform {} with authorizers {}", settings.get("kefu.component.appid"),
                settings.refreshTokenSeeds().keySet());
    }
}
