package dev.kefurelay.config;

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
        case "accounts" -> Key.ACCOUNTS_SECRET.key(appid);
        case "account-kinds" -> Key.ACCOUNTS_KIND.key(appid);
        case "authorizers" -> Key.AUTHORIZERS_REFRESH_TOKEN.key(appid);
        case "component-appid", "component-secret", "component-ticket" -> "kefu.component." + option.substring(10);
        case "token-mode" -> "kefu.token.mode";
        case "refresh-ahead" -> "kefu.token.refresh-ahead";
        case "base-url", "connect-timeout", "read-timeout" -> "kefu.wechat." + option;
        case "appid", "secret" -> "kefu." + option;
        case "wecom-corps" -> appid == null ? Key.WECOM_CORPS_SECRET.key() : Key.WECOM_CORPS_SECRET.key(appid);
        // retry-max, store-dir, media-url-timeout, …: the first word is the group
        default -> "kefu." + option.replaceFirst("-", ".");
    };

    private ComponentOptions() {
    }

    /**
     * Where the component calls WeChat and WeCom: the settings' base URLs, or the sandbox's.
     *
     * @param wechat the WeChat API roots in failover order
     * @param wecom  WeCom's, comma separated in failover order
     */
    public record Apis(java.util.List<String> wechat, String wecom) {

        public Apis {
            wechat = java.util.List.copyOf(wechat);
        }

        public static Apis of(KefuSettings settings) {
            return new Apis(settings.baseUrls(), settings.wecom().baseUrls());
        }
    }

    /**
     * @param apis            the WeChat and WeCom APIs to call: kefu.wechat.base-url and kefu.wecom.base-url, or
     *                        the sandbox's the relay started
     * @param storeDataSource the shared store's pool ({@link StorePool}), or null for the local store
     */
    public static WeChatKefuComponent component(KefuSettings settings, Apis apis, OutcomeListener listener,
            javax.sql.DataSource storeDataSource, StoreListener storeListener) {
        WeChatKefuComponent component = new WeChatKefuComponent();
        WeChatKefuComponentConfiguration c = component.getConfiguration();
        c.setBaseUrl(String.join(",", apis.wechat()));
        SettingGroups.Accounts accounts = settings.accounts();
        c.setTokenMode(accounts.mode());
        c.setAppid(accounts.defaultAppid());
        c.setSecret(accounts.secret().orNull());
        // every account with its secret: the default one too, which the component simply finds twice
        c.setAccounts(new LinkedHashMap<>(accounts.secrets()));
        // appid → official | miniprogram, for the accounts and the authorizers alike
        accounts.kinds().forEach((appid, kind) -> c.getAccountKinds().put(appid, kind.wireName()));
        c.setComponentAppid(accounts.componentAppid());
        c.setComponentSecret(accounts.componentSecret().orNull());
        c.setComponentTicket(accounts.componentTicket().orNull());
        c.setAuthorizers(new LinkedHashMap<>(accounts.refreshTokens()));
        c.setRefreshAhead(accounts.refreshAhead());
        c.setStoreDir(settings.store().dir().toString());
        c.setStoreDataSource(storeDataSource);
        c.setStoreLockTimeout(settings.store().lockTimeout());
        c.setStoreListener(storeListener);
        SettingGroups.Retry retry = settings.retry();
        c.setRetryMax(retry.max());
        c.setRetryDelay(retry.delay());
        c.setRetryMaxDelay(retry.maxDelay());
        c.setRetryUnknownOutcome(retry.unknownOutcome());
        c.setWindowPreempt(settings.window().preempt());
        c.setConnectTimeout(settings.wechat().connectTimeout());
        c.setReadTimeout(settings.wechat().readTimeout());
        SettingGroups.Media media = settings.media();
        c.setMediaDir(media.dir().toString());
        c.setMediaImageMaxSize(media.imageMaxSize());
        c.setMediaVoiceMaxSize(media.voiceMaxSize());
        c.setMediaVideoMaxSize(media.videoMaxSize());
        c.setMediaThumbMaxSize(media.thumbMaxSize());
        c.setMediaUrlTimeout(media.urlTimeout());
        c.setMediaAllowHosts(media.allowHosts());
        SettingGroups.WeCom wecom = settings.wecom();
        if (wecom.on()) {
            c.setWecomCorpid(wecom.corpid());
            c.setWecomSecret(wecom.secret().orNull());
            c.setWecomCorps(wecom.furtherCorps());
            c.setWecomBaseUrl(apis.wecom());
        }
        c.setOutcomeListener(listener);
        component.setOptionNames(RELAY_KEYS);
        return component;
    }
}
