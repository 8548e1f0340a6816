package dev.kefurelay.config;

import static dev.kefurelay.util.Strings.blankToNull;

import java.util.LinkedHashMap;

import dev.kefurelay.component.OutcomeListener;
import dev.kefurelay.component.WeChatKefuComponent;
import dev.kefurelay.component.WeChatKefuComponentConfiguration;
import dev.kefurelay.store.StoreListener;
import dev.kefurelay.token.OptionNames;

/**
 * The one place where the relay's {@code kefu.*} settings become options of the wechat-kefu component. The relay
 * configures the component bean itself rather than writing {@code camel.component.wechat-kefu.*} properties: the
 * settings are already parsed and checked (a typo or bad value stopped the start naming the kefu.* key), and a
 * second spelling of each secret in Camel's properties would be one more place for it to leak from.
 */
public final class ComponentOptions {

    /**
     * The relay's key for each component option: what the component's errors and warnings name (a message for an
     * appid that is no account names {@code kefu.accounts.<appid>.secret}), since those are what its operator sets.
     */
    public static final OptionNames RELAY_KEYS = (option, appid) -> switch (option) {
        case "accounts" -> "kefu.accounts." + appid + ".secret";
        case "authorizers" -> "kefu.authorizers." + appid + ".refresh-token";
        case "component-appid", "component-secret", "component-ticket" -> "kefu.component." + option.substring(10);
        case "token-mode" -> "kefu.token.mode";
        case "refresh-ahead" -> "kefu.token.refresh-ahead";
        case "base-url", "connect-timeout", "read-timeout" -> "kefu.wechat." + option;
        case "appid", "secret" -> "kefu." + option;
        // retry-max, store-dir, media-url-timeout, …: the first word is the group
        default -> "kefu." + option.replaceFirst("-", ".");
    };

    private ComponentOptions() {
    }

    /** @param storeDataSource the shared store's pool ({@link StorePool}), or null for the local store */
    public static WeChatKefuComponent component(KefuSettings settings, OutcomeListener listener,
            javax.sql.DataSource storeDataSource, StoreListener storeListener) {
        WeChatKefuComponent component = new WeChatKefuComponent();
        WeChatKefuComponentConfiguration c = component.getConfiguration();
        c.setBaseUrl(String.join(",", settings.baseUrls()));
        c.setTokenMode(settings.tokenMode());
        c.setAppid(settings.defaultAppid());
        c.setSecret(blankToNull(settings.get("kefu.secret")));
        // every account with its secret: the default one too, which the component simply finds twice
        c.setAccounts(new LinkedHashMap<>(settings.accountSecrets()));
        c.setComponentAppid(blankToNull(settings.get("kefu.component.appid")));
        c.setComponentSecret(blankToNull(settings.get("kefu.component.secret")));
        c.setComponentTicket(blankToNull(settings.get("kefu.component.ticket")));
        c.setAuthorizers(new LinkedHashMap<>(settings.refreshTokenSeeds()));
        c.setStoreDir(settings.get("kefu.store.dir"));
        c.setStoreDataSource(storeDataSource);
        c.setStoreLockTimeout(settings.duration("kefu.store.lock-timeout"));
        c.setStoreListener(storeListener);
        c.setRefreshAhead(settings.duration("kefu.token.refresh-ahead"));
        c.setRetryMax(settings.integer("kefu.retry.max"));
        c.setRetryDelay(settings.duration("kefu.retry.delay"));
        c.setRetryMaxDelay(settings.duration("kefu.retry.max-delay"));
        c.setRetryUnknownOutcome(settings.bool("kefu.retry.unknown-outcome"));
        c.setConnectTimeout(settings.duration("kefu.wechat.connect-timeout"));
        c.setReadTimeout(settings.duration("kefu.wechat.read-timeout"));
        c.setMediaDir(settings.get("kefu.media.dir"));
        c.setMediaImageMaxSize(settings.bytes("kefu.media.image-max-size"));
        c.setMediaVoiceMaxSize(settings.bytes("kefu.media.voice-max-size"));
        c.setMediaVideoMaxSize(settings.bytes("kefu.media.video-max-size"));
        c.setMediaThumbMaxSize(settings.bytes("kefu.media.thumb-max-size"));
        c.setMediaUrlTimeout(settings.duration("kefu.media.url-timeout"));
        c.setMediaAllowHosts(settings.get("kefu.media.allow-hosts"));
        c.setOutcomeListener(listener);
        component.setOptionNames(RELAY_KEYS);
        return component;
    }
}
