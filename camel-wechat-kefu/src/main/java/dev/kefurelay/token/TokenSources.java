package dev.kefurelay.token;

import java.time.Clock;
import java.util.List;
import java.util.function.BiFunction;

import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.send.WeChatApi;
import dev.kefurelay.store.SecretStore;
import org.apache.camel.RoutesBuilder;

/**
 * Picks how access tokens are obtained from {@code kefu.token.mode}: the relay gets one cache of sending tokens
 * (keyed by the message's appid) and, in component mode, the routes that take tickets and authorizer updates.
 */
public final class TokenSources {

    private final TokenCache tokens;
    private final List<RoutesBuilder> routes;

    private TokenSources(TokenCache tokens, List<RoutesBuilder> routes) {
        this.tokens = tokens;
        this.routes = routes;
    }

    /** @param caches makes a named cache over a source (the relay's executor, ticker and refresh-ahead) */
    public static TokenSources forMode(KefuSettings settings, WeChatApi api,
            BiFunction<String, TokenSource, TokenCache> caches) {
        if (settings.tokenMode() != TokenMode.COMPONENT) {
            return new TokenSources(caches.apply("access token",
                    new OfficialAccountTokens(api, settings.tokenMode(), settings.accountSecrets())), List.of());
        }
        String componentAppid = settings.get("kefu.component.appid");
        SecretStore store = SecretStore.open(settings.path("kefu.store.dir"));
        VerifyTicket tickets = new VerifyTicket(store, settings.get("kefu.component.ticket"), Clock.systemUTC());
        RefreshTokens refreshTokens = new RefreshTokens(store, settings.refreshTokenSeeds());
        TokenCache componentCache = caches.apply("component access token",
                new ComponentTokens(api, componentAppid, settings.get("kefu.component.secret"), tickets));
        AuthorizerTokens authorizers = new AuthorizerTokens(api, componentAppid, componentCache, refreshTokens);
        TokenCache authorizerCache = caches.apply("authorizer access token", authorizers);
        return new TokenSources(authorizerCache,
                List.of(new ComponentRoutes(tickets, refreshTokens, authorizers, authorizerCache)));
    }

    /** The sending tokens: per official account, or per authorizer in component mode. */
    public TokenCache tokens() {
        return tokens;
    }

    public List<RoutesBuilder> routes() {
        return routes;
    }
}
