package dev.kefurelay.component;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.kefurelay.push.PushXml;
import org.apache.camel.spi.UriParam;

/**
 * The component's options for WeChat's pushes (group consumer in the catalog): the keys entered at WeChat beside
 * each message URL, and the replay window and size limit of the consumer {@code wechat-kefu:push}. A superclass of
 * {@link WeChatKefuComponentConfiguration} only to keep this concern apart: the options are the component's like the
 * others ({@code camel.component.wechat-kefu.push-*}, flattened by camel-package-maven-plugin).
 */
public abstract class WeChatKefuPushOptions extends WeChatKefuMediaOptions {

    @UriParam(label = "consumer,security", secret = true, description = "The Token entered at WeChat beside the "
            + "message URL (服务器配置) of the default account (appid); in component mode the third-party platform's, "
            + "which opens its authorization events and the pushes of every authorizer.")
    private String pushToken;
    @UriParam(label = "consumer,security", secret = true, description = "The EncodingAESKey (消息加解密密钥, 43 "
            + "characters) entered beside pushToken: pushes are then encrypted (safe or compatible mode). Empty: "
            + "plaintext mode, the signature alone is checked.")
    private String pushSecretKey;
    @UriParam(label = "consumer,security", secret = true, description = "The EncodingAESKey before a change: WeChat "
            + "may still encrypt with it for a while, so a push the current key cannot open is tried with this one.")
    private String pushSecretKeyPrevious;
    @UriParam(label = "consumer,security", secret = true, description = "The push Token of each further account: a "
            + "map of appid to Token (stable and client-credential modes; in component mode the platform's keys open "
            + "every authorizer's pushes).")
    private Map<String, String> accountPushTokens = new LinkedHashMap<>();
    @UriParam(label = "consumer,security", secret = true, description = "The EncodingAESKey of each further "
            + "account: a map of appid to key, beside accountPushTokens.")
    private Map<String, String> accountPushSecretKeys = new LinkedHashMap<>();
    @UriParam(label = "consumer", defaultValue = "5m", javaType = "java.time.Duration", description = "A push or URL "
            + "verification whose timestamp is further off this machine's clock is refused as a replay, and a nonce "
            + "is taken once within it. 0 turns both checks off (to replay recorded pushes on purpose).")
    private Duration pushMaxAge = Duration.ofMinutes(5);
    @UriParam(label = "consumer", defaultValue = "65536", description = "The largest push body taken, in bytes; a "
            + "larger one is answered 413. WeChat's pushes are a few KB.")
    private int pushMaxSize = PushXml.DEFAULT_MAX_BYTES;

    public String getPushToken() {
        return pushToken;
    }

    public void setPushToken(String pushToken) {
        this.pushToken = pushToken;
    }

    public String getPushSecretKey() {
        return pushSecretKey;
    }

    public void setPushSecretKey(String pushSecretKey) {
        this.pushSecretKey = pushSecretKey;
    }

    public String getPushSecretKeyPrevious() {
        return pushSecretKeyPrevious;
    }

    public void setPushSecretKeyPrevious(String pushSecretKeyPrevious) {
        this.pushSecretKeyPrevious = pushSecretKeyPrevious;
    }

    public Map<String, String> getAccountPushTokens() {
        return accountPushTokens;
    }

    public void setAccountPushTokens(Map<String, String> accountPushTokens) {
        this.accountPushTokens = accountPushTokens;
    }

    public Map<String, String> getAccountPushSecretKeys() {
        return accountPushSecretKeys;
    }

    public void setAccountPushSecretKeys(Map<String, String> accountPushSecretKeys) {
        this.accountPushSecretKeys = accountPushSecretKeys;
    }

    public Duration getPushMaxAge() {
        return pushMaxAge;
    }

    public void setPushMaxAge(Duration pushMaxAge) {
        this.pushMaxAge = pushMaxAge;
    }

    public int getPushMaxSize() {
        return pushMaxSize;
    }

    public void setPushMaxSize(int pushMaxSize) {
        this.pushMaxSize = pushMaxSize;
    }
}
