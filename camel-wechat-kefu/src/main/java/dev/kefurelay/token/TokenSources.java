package dev.kefurelay.token;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.kefurelay.store.KefuStore;
import dev.kefurelay.wechat.WeChatClient;

/**
 * Picks how access tokens are obtained: one cache of sending tokens (keyed by the message's appid) and, in
 * component mode, the platform's inputs (tickets, authorizers' refresh tokens) that an application feeds.
 */
public final class TokenSources {

    /**
     * What the sources need to know. {@link #toString()} names no secret.
     *
     * @param accountSecrets    appid → appsecret of the official accounts (stable and client-credential modes)
     * @param componentTicket   seeds an empty store with a component_verify_ticket (component mode), or null
     * @param refreshTokenSeeds appid → authorizer_refresh_token imported into the store (component mode)
     * @param names             how errors name the options to set
     */
    public record Settings(TokenMode mode, Map<String, String> accountSecrets, String componentAppid,
            String componentSecret, String componentTicket, Map<String, String> refreshTokenSeeds,
            OptionNames names) {

        @Override
        public String toString() {
            return "TokenSources.Settings[mode=" + mode.wireName() + ", accounts=" + accountSecrets.keySet()
                    + ", component=" + componentAppid + ", authorizers=" + refreshTokenSeeds.keySet() + "]";
        }
    }

    /** Component mode's inputs, fed by the application (e.g. from queues). */
    public record Platform(VerifyTicket tickets, RefreshTokens refreshTokens, AuthorizerTokens authorizers) {
    }

    private final TokenCache tokens;
    private final Platform platform;
    private final OfficialAccountTokens accounts;
    private final Set<String> authorizerSeeds;
    private final OptionNames names;

    private TokenSources(TokenCache tokens, Platform platform, OfficialAccountTokens accounts,
            Set<String> authorizerSeeds, OptionNames names) {
        this.tokens = tokens;
        this.platform = platform;
        this.accounts = accounts;
        this.authorizerSeeds = authorizerSeeds;
        this.names = names;
    }

    /** Makes a cache over a source (the component's store, executor, ticker and refresh-ahead). */
    @FunctionalInterface
    public interface Caches {
        /**
         * @param name what the tokens are called in logs and errors
         * @param kind names their rows in the store ({@code <kind>.<appid>})
         */
        TokenCache over(String name, String kind, TokenSource source);
    }

    public static TokenSources forMode(Settings settings, WeChatClient api, KefuStore store, Caches caches) {
        if (settings.mode() != TokenMode.COMPONENT) {
            OfficialAccountTokens accounts = new OfficialAccountTokens(api, settings.mode(), settings.accountSecrets(),
                    settings.names());
            return new TokenSources(caches.over("access token", "access", accounts), null, accounts, Set.of(),
                    settings.names());
        }
        VerifyTicket tickets = new VerifyTicket(store, settings.componentTicket(), Clock.systemUTC());
        RefreshTokens refreshTokens = new RefreshTokens(store, settings.refreshTokenSeeds());
        TokenCache componentCache = caches.over("component access token", "component",
                new ComponentTokens(api, settings.componentAppid(), settings.componentSecret(), tickets,
                        settings.names()));
        AuthorizerTokens authorizers = new AuthorizerTokens(api, settings.componentAppid(), componentCache,
                refreshTokens, settings.names());
        return new TokenSources(caches.over("authorizer access token", "authorizer", authorizers),
                new Platform(tickets, refreshTokens, authorizers), null,
                Set.copyOf(settings.refreshTokenSeeds().keySet()), settings.names());
    }

    /** One more official account, whose secret an endpoint brings; not in component mode (authorizers are the platform's). */
    public void addAccount(String appid, String secret) {
        if (accounts == null) {
            throw new IllegalArgumentException("wechat-kefu: an endpoint's secret is for official accounts; in token "
                    + "mode component the authorizers' tokens come from the platform");
        }
        accounts.add(appid, secret);
    }

    /**
     * What to tell the operator when no message can be sent because no official account is known (none configured,
     * none brought by an endpoint): every message would fail as invalid-input. Empty when an account is known, and
     * in component mode, whose authorizers may arrive at run time.
     */
    public Optional<String> noAccount() {
        if (accounts == null || !accounts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("wechat-kefu has no account to send for: every message will fail as invalid-input. Set "
                + names.name("appid") + " and " + names.name("secret") + " (further accounts: "
                + names.name("accounts", "<appid>") + "), or give the endpoint its appid and secret");
    }

    /**
     * The appids configured to send for: the official accounts (those endpoints brought included), or in component
     * mode the authorizers given in the options (not those authorized while the application runs).
     */
    public Set<String> configuredAccounts() {
        return accounts != null ? accounts.appids() : authorizerSeeds;
    }

    /** The sending tokens: per official account, or per authorizer in component mode. */
    public TokenCache tokens() {
        return tokens;
    }

    /** The platform's inputs in component mode; empty in the other modes. */
    public Optional<Platform> platform() {
        return Optional.ofNullable(platform);
    }
}
