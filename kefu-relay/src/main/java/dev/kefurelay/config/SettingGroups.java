package dev.kefurelay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.kefurelay.message.AccountKind;
import dev.kefurelay.token.TokenMode;

/**
 * The relay's settings by concern, typed: what the rest of the relay reads instead of {@code kefu.*} strings. Built
 * once by {@link KefuSettings} after every check passed, so a value here is always a valid one. Secrets are held as
 * {@link Secret}, whose {@code toString()} shows none, so no record here prints one.
 */
public final class SettingGroups {

    private SettingGroups() {
    }

    /** A secret value (a password, a token, a URL that may carry a password): printed as {@code ***}. */
    public record Secret(String value) {

        public Secret {
            value = value == null ? "" : value;
        }

        public boolean isSet() {
            return !value.isEmpty();
        }

        /** The value, or null when none is set (the component's options take null for "not set"). */
        public String orNull() {
            return value.isEmpty() ? null : value;
        }

        @Override
        public String toString() {
            return value.isEmpty() ? "" : "***";
        }
    }

    /** The WeChat API: base URLs in failover order, and the HTTP client's timeouts. */
    public record WeChat(List<String> baseUrls, Duration connectTimeout, Duration readTimeout) {
    }

    /**
     * Whose tokens the relay fetches: the official accounts (default one included) or the third-party platform and
     * its authorizers. The maps hold secrets: {@code toString()} names only the appids.
     *
     * @param defaultAppid  kefu.appid, or null when none is set
     * @param secrets       appid → secret of every official account (empty in component mode)
     * @param refreshTokens authorizer appid → seed refresh token
     * @param push          appid → the push keys of an official account with keys of its own
     * @param kinds         appid → the kind of each account named one (an account, the default one or an authorizer)
     */
    public record Accounts(TokenMode mode, Duration refreshAhead, String defaultAppid, Secret secret,
            Map<String, String> secrets, String componentAppid, Secret componentSecret, Secret componentTicket,
            Map<String, String> refreshTokens, Map<String, PushKeys> push, Map<String, AccountKind> kinds) {

        /** The account's kind: an appid not named one is an Official Account. */
        public AccountKind kind(String appid) {
            return kinds.getOrDefault(appid, AccountKind.OFFICIAL);
        }

        @Override
        public String toString() {
            return "Accounts[mode=" + mode.wireName() + ", accounts=" + secrets.keySet() + ", component="
                    + componentAppid + ", authorizers=" + refreshTokens.keySet() + ", push=" + push.keySet()
                    + ", kinds=" + kinds + "]";
        }
    }

    /** The push Token and EncodingAESKey of one official account. */
    public record PushKeys(Secret token, Secret aesKey) {
    }

    /** The local store's folder, or the shared PostgreSQL store ({@code url} set) and its pool. */
    public record Store(Path dir, Secret url, String user, Secret password, int poolSize, Duration lockTimeout) {

        public boolean shared() {
            return url.isSet();
        }
    }

    /** The embedded broker ({@code url} empty) or the one to connect to, and the login for either. */
    public record Broker(Secret url, String bind, int port, Path dataDir, long queueMemory, String user,
            Secret password) {

        public boolean external() {
            return url.isSet();
        }

        public String userOrNull() {
            return user.isEmpty() ? null : user;
        }
    }

    /** The JMS input and its consumers. */
    public record Jms(String queue, String dlq, int concurrency, int batchSize) {
    }

    /**
     * WeChat's pushes.
     *
     * @param port   0: no push endpoints
     * @param maxAge the replay window; zero: no replay check
     */
    public record Push(int port, String bind, Secret token, Secret aesKey, Secret aesKeyPrevious, Duration maxAge,
            long maxSize, String queue, String eventsTopic) {

        public boolean on() {
            return port != 0;
        }
    }

    /** The inbox folder and its largest file. */
    public record Inbox(Path dir, long maxSize) {
    }

    /** Health and metrics (Camel's management server), and the graceful stop's budget. */
    public record Http(int port, String bind, Duration shutdownTimeout) {
    }

    /** The media sources: their folder, the largest of each type, and the {@code source_url} downloads. */
    public record Media(Path dir, long imageMaxSize, long voiceMaxSize, long videoMaxSize, long thumbMaxSize,
            Duration urlTimeout, String allowHosts) {
    }

    /** How a retryable failure is retried. */
    public record Retry(int max, Duration delay, Duration maxDelay, boolean unknownOutcome) {
    }

    /**
     * WeCom 微信客服: the corps the relay sends for ({@code on}) and, for those with a callback Token
     * ({@code receives}), their callbacks on the push port and the pulls they start.
     *
     * @param corpid    the default corp (kefu.wecom.corpid): a message naming no corp is its; null when none is set
     * @param corps     corpid → the secret of its 微信客服 app, the default corp's included
     * @param callbacks corpid → its callback Token and EncodingAESKey, for the corps that receive
     */
    public record WeCom(String corpid, Map<String, Secret> corps, String baseUrls, Map<String, PushKeys> callbacks,
            String welcomeText, Duration pullLease) {

        public boolean on() {
            return !corps.isEmpty();
        }

        public boolean receives() {
            return !callbacks.isEmpty();
        }

        /** The default corp's secret (empty when there is no default corp). */
        public Secret secret() {
            return corpid == null ? new Secret("") : corps.get(corpid);
        }

        /** The further corps: corpid → secret, the default corp left out. */
        public Map<String, String> furtherCorps() {
            Map<String, String> further = new java.util.LinkedHashMap<>();
            corps.forEach((id, secret) -> {
                if (!id.equals(corpid)) {
                    further.put(id, secret.value());
                }
            });
            return further;
        }
    }

    /** The customer-service window: whether a window the book knows closed skips custom/send. */
    public record Window(boolean preempt) {
    }

    /**
     * The sandbox WeChat the relay starts itself ({@code on}), on {@code port} (0: a free one), refusing messages
     * outside users' windows or not ({@code enforceWindow}).
     */
    public record Sandbox(boolean on, int port, boolean enforceWindow) {
    }
}
