package dev.kefurelay.component;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import dev.kefurelay.store.StoreListener;
import dev.kefurelay.token.TokenMode;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of the {@code wechat-kefu} component, bound from {@code camel.component.wechat-kefu.*} or set in Java
 * before the component starts. camel-package-maven-plugin lists them as the component's own options (the same
 * keys), and its generated configurer sets them here; the media options are in {@link WeChatKefuMediaOptions}, the
 * WeCom ones in {@link WeChatKefuWeComOptions}, the push consumer's in {@link WeChatKefuPushOptions}.
 * Only values: what they mean at start is {@link OptionChecks}'s and {@link SendingState}'s.
 */
@UriParams
public class WeChatKefuComponentConfiguration extends WeChatKefuWeComOptions {

    @UriParam(defaultValue = "https://api.weixin.qq.com",
            description = "Base URL of the WeChat API; several, comma separated, in failover order: the next one is "
                    + "tried only when no connection could be made to the one before.")
    private String baseUrl = "https://api.weixin.qq.com";
    @UriParam(defaultValue = "stable", enums = "stable,client-credential,component",
            description = "How access tokens are obtained: stable (stable_token), client-credential (cgi-bin/token) "
                    + "or component (a third-party platform's authorizer tokens).")
    private TokenMode tokenMode = TokenMode.STABLE;
    @UriParam(description = "The default sending account's appid (stable and client-credential modes): used when "
            + "a message names none.")
    private String appid;
    @UriParam(label = "security", secret = true, description = "The appsecret of the default account.")
    private String secret;
    @UriParam(label = "security", secret = true,
            description = "Further official accounts: a map of appid to appsecret.")
    private Map<String, String> accounts = new LinkedHashMap<>();
    @UriParam(description = "The kind of each account: a map of appid to official (the default) or miniprogram, for "
            + "the default account, the further accounts and, in component mode, the authorizers. A Mini Program "
            + "takes text, image, link and miniprogrampage (without appid) and types on custom/business/typing; "
            + "another type is refused as invalid-input before WeChat is called.")
    private Map<String, String> accountKinds = new LinkedHashMap<>();
    @UriParam(label = "component-mode", description = "The third-party platform's appid (component mode).")
    private String componentAppid;
    @UriParam(label = "component-mode,security", secret = true,
            description = "The third-party platform's appsecret (component mode).")
    private String componentSecret;
    @UriParam(label = "component-mode,security", secret = true,
            description = "A component_verify_ticket to start with, while the store holds none (component mode).")
    private String componentTicket;
    @UriParam(label = "component-mode,security", secret = true,
            description = "Authorizers of the platform: appid to authorizer_refresh_token, imported into the store "
                    + "once (component mode).")
    private Map<String, String> authorizers = new LinkedHashMap<>();
    @UriParam(defaultValue = "data/store",
            description = "Folder of the local store: the ids delivered in the last 48 hours, quota pauses, and in "
                    + "component mode the latest ticket and the rotated refresh tokens. Not used with storeDataSource.")
    private String storeDir = "data/store";
    @UriParam(label = "advanced",
            description = "A pooled DataSource of a PostgreSQL database that keeps every state instead of the local "
                    + "store: instances sharing it send as one (one token fetch per account per token life, an id "
                    + "delivered once, quota pauses for all, a picture uploaded once). The schema is created and "
                    + "migrated at start.")
    private DataSource storeDataSource;
    @UriParam(defaultValue = "10s", javaType = "java.time.Duration",
            description = "The longest a token renewal waits for another instance holding the account's lock; then "
                    + "the message is retried.")
    private Duration storeLockTimeout = Duration.ofSeconds(10);
    @UriParam(label = "advanced",
            description = "Told of every store call's latency and of token lock waits (e.g. for metrics); a single "
                    + "bean of this type in the registry is used.")
    @Metadata(autowired = true)
    private StoreListener storeListener;
    @UriParam(defaultValue = "60s", javaType = "java.time.Duration",
            description = "A token is renewed this long before WeChat's expires_in runs out.")
    private Duration refreshAhead = Duration.ofSeconds(60);
    @UriParam(defaultValue = "5", description = "How many times a retryable failure (WeChat busy -1, minute quota "
            + "45011, HTTP 5xx or 429, no connection) is tried again before the message fails as retries-exhausted.")
    private int retryMax = 5;
    @UriParam(defaultValue = "1s", javaType = "java.time.Duration",
            description = "Wait before the first retry; it doubles for each further retry.")
    private Duration retryDelay = Duration.ofSeconds(1);
    @UriParam(defaultValue = "30s", javaType = "java.time.Duration", description = "The longest wait between retries.")
    private Duration retryMaxDelay = Duration.ofSeconds(30);
    @UriParam(defaultValue = "false", description = "Retry a custom/send whose answer was lost (read timeout, "
            + "connection reset after the request was sent). Off by default: WeChat may have delivered it, and a "
            + "retry may deliver it twice; the message fails as unknown-outcome instead.")
    private boolean retryUnknownOutcome;
    @UriParam(defaultValue = "true",
            description = "When the window book knows a user's customer-service window is closed or used up, do not "
                    + "call custom/send (WeChat would refuse it): the message goes by its fallback, or fails as "
                    + "window-closed. false: always try custom/send first and fall back on its answer (45015, 45047). "
                    + "The same for WeCom customers and kf/send_msg (95001), which have no fallback.")
    private boolean windowPreempt = true;
    @UriParam(defaultValue = "5s", javaType = "java.time.Duration",
            description = "Connect timeout of calls to the WeChat API.")
    private Duration connectTimeout = Duration.ofSeconds(5);
    @UriParam(defaultValue = "30s", javaType = "java.time.Duration",
            description = "How long a call to the WeChat API waits for the answer.")
    private Duration readTimeout = Duration.ofSeconds(30);
    @UriParam(label = "advanced",
            description = "Told of every message's outcome and retry (e.g. for metrics); a single bean of this type "
                    + "in the registry is used.")
    @Metadata(autowired = true)
    private OutcomeListener outcomeListener;

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public TokenMode getTokenMode() {
        return tokenMode;
    }

    public void setTokenMode(TokenMode tokenMode) {
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

    public Map<String, String> getAccountKinds() {
        return accountKinds;
    }

    public void setAccountKinds(Map<String, String> accountKinds) {
        this.accountKinds = accountKinds;
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

    public DataSource getStoreDataSource() {
        return storeDataSource;
    }

    public void setStoreDataSource(DataSource storeDataSource) {
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

    public boolean isWindowPreempt() {
        return windowPreempt;
    }

    public void setWindowPreempt(boolean windowPreempt) {
        this.windowPreempt = windowPreempt;
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

    public OutcomeListener getOutcomeListener() {
        return outcomeListener;
    }

    public void setOutcomeListener(OutcomeListener outcomeListener) {
        this.outcomeListener = outcomeListener;
    }
}
