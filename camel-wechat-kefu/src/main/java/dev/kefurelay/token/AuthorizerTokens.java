package dev.kefurelay.token;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.wechat.ErrorPolicy;
import dev.kefurelay.wechat.Reason;
import dev.kefurelay.wechat.RetryableSendException;
import dev.kefurelay.wechat.SendFailedException;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.wechat.WeChatReply;
import dev.kefurelay.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens of the accounts that authorized the platform, from {@code api_authorizer_token}. WeChat answers
 * with the next refresh token; it is stored before the access token is handed out, so no restart can lose it.
 */
public final class AuthorizerTokens implements TokenSource {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizerTokens.class);
    static final String PATH = "/cgi-bin/component/api_authorizer_token";
    static final String QUERY_AUTH_PATH = "/cgi-bin/component/api_query_auth";
    static final int REFRESH_TOKEN_INVALID = 61023;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WeChatClient api;
    private final String componentAppid;
    private final TokenCache componentTokens;
    private final RefreshTokens refreshTokens;
    private final OptionNames names;
    /** Refresh tokens WeChat refused with 61023, per appid: asking again with the same one cannot pass. */
    private final Map<String, String> refused = new ConcurrentHashMap<>();

    public AuthorizerTokens(WeChatClient api, String componentAppid, TokenCache componentTokens,
            RefreshTokens refreshTokens, OptionNames names) {
        this.api = api;
        this.componentAppid = componentAppid;
        this.componentTokens = componentTokens;
        this.refreshTokens = refreshTokens;
        this.names = names;
    }

    @Override
    public AccessToken fetch(String appid, boolean forceRefresh) {
        String refreshToken = refreshTokens.current(appid)
                .orElseThrow(() -> new InvalidMessageException(notConfigured(appid)));
        requireUsable(appid);
        if (refreshToken.equals(refused.get(appid))) {
            throw mustAuthorizeAgain(appid, "refresh_token is invalid (refused before)");
        }
        AccessToken component = componentTokens.get(componentAppid);
        WeChatReply reply = call(component, appid, refreshToken);
        if (reply.status() == 200 && ErrorPolicy.TOKEN_REJECTED.contains(reply.errcode())) {
            // the component token went stale before its time: a new one, and one more try
            componentTokens.reject(componentAppid, component);
            reply = call(componentTokens.get(componentAppid), appid, refreshToken);
        }
        if (reply.status() == 200 && reply.errcode() == REFRESH_TOKEN_INVALID) {
            refused.put(appid, refreshToken);
            throw mustAuthorizeAgain(appid, reply.errmsg());
        }
        ErrorPolicy.requireTokenReply(reply, "authorizer access token for " + appid);
        String next = reply.text("authorizer_refresh_token");
        if (next != null && !next.isBlank() && !next.equals(refreshToken)) {
            store(appid, refreshToken, next);
        }
        return new AccessToken(reply.text("authorizer_access_token"), Duration.ofSeconds(reply.number("expires_in", 7200)));
    }

    /** Seeded, in the store or added at run time: the live set, so an authorizer added later is known at once. */
    @Override
    public boolean knows(String appid) {
        return refreshTokens.knows(appid);
    }

    @Override
    public void requireUsable(String appid) {
        refreshTokens.withdrawnAt(appid).ifPresent(at -> {
            throw withdrawn(appid, at);
        });
    }

    @Override
    public String notConfigured(String appid) {
        return "appid '" + appid + "' is not an authorizer of this platform: set "
                + names.name("authorizers", appid) + " or add its refresh token at run time";
    }

    /** A new refresh token arrived for this authorizer (queue kefu.authorizers): it may be asked again. */
    public void updated(String appid) {
        refused.remove(appid);
    }

    /**
     * A new authorization (WeChat pushed {@code authorized} or {@code updateauthorized}): the one-time
     * authorization code exchanged through {@code api_query_auth} for the authorizer's first refresh token, which is
     * stored before this returns. Returns the authorizer's appid.
     */
    public String authorize(String authorizationCode) {
        String body = JSON.createObjectNode()
                .put("component_appid", componentAppid)
                .put("authorization_code", authorizationCode)
                .toString();
        AccessToken component = componentTokens.get(componentAppid);
        WeChatReply reply = queryAuth(component, body);
        if (reply.status() == 200 && ErrorPolicy.TOKEN_REJECTED.contains(reply.errcode())) {
            componentTokens.reject(componentAppid, component);
            reply = queryAuth(componentTokens.get(componentAppid), body);
        }
        if (reply.status() != 200 || reply.errcode() != 0) {
            ErrorPolicy.requireTokenReply(reply, "api_query_auth");
        }
        WeChatReply info = new WeChatReply(200, reply.body().path("authorization_info"));
        ErrorPolicy.requireTokenReply(info, "api_query_auth");
        String appid = info.text("authorizer_appid");
        String refreshToken = info.text("authorizer_refresh_token");
        if (appid == null || refreshToken == null || refreshToken.isBlank()) {
            throw new SendFailedException(Reason.WECHAT_ERROR, null,
                    "api_query_auth: WeChat's answer had no authorizer_appid or authorizer_refresh_token");
        }
        refreshTokens.update(appid, refreshToken);
        updated(appid);
        LOG.info("authorizer {} authorized the platform; its refresh token is stored", appid);
        return appid;
    }

    /** WeChat pushed {@code unauthorized}: that authorizer's messages fail from now on, nothing is sent for it. */
    public void withdraw(String appid, java.time.Instant at) {
        refreshTokens.withdraw(appid, at);
        LOG.info("authorizer {} withdrew its authorization of the platform; its messages fail as unauthorized", appid);
    }

    private WeChatReply queryAuth(AccessToken component, String body) {
        return api.post(QUERY_AUTH_PATH, "component_access_token="
                + URLEncoder.encode(component.value(), StandardCharsets.UTF_8), body, false);
    }

    private static SendFailedException withdrawn(String appid, java.time.Instant at) {
        return new SendFailedException(Reason.UNAUTHORIZED, null, "authorizer " + appid + " withdrew its "
                + "authorization of the platform at " + at + " (WeChat pushed unauthorized): nothing is sent for it "
                + "until it authorizes again");
    }

    private void store(String appid, String presented, String next) {
        try {
            if (refreshTokens.rotated(appid, presented, next)) {
                LOG.info("refresh token of authorizer {} rotated by WeChat; the new one is stored", appid);
            } else {
                LOG.warn("refresh token of authorizer {} was replaced while WeChat rotated it; keeping the replacement",
                        appid);
            }
        } catch (StoreException e) {
            // the new refresh token is held in memory; the access token is not used until it is on disk too
            throw new RetryableSendException(null, "could not store the rotated refresh token of authorizer " + appid
                    + ": " + e.getMessage());
        }
    }

    private WeChatReply call(AccessToken component, String appid, String refreshToken) {
        String body = JSON.createObjectNode()
                .put("component_appid", componentAppid)
                .put("authorizer_appid", appid)
                .put("authorizer_refresh_token", refreshToken)
                .toString();
        return api.post(PATH, "component_access_token=" + URLEncoder.encode(component.value(), StandardCharsets.UTF_8),
                body, false);
    }

    private static SendFailedException mustAuthorizeAgain(String appid, String errmsg) {
        return new SendFailedException(Reason.WECHAT_ERROR, REFRESH_TOKEN_INVALID, "authorizer access token for "
                + appid + " refused: " + errmsg + "; authorizer " + appid + " must authorize the platform again, then "
                + "put its new refresh token on queue kefu.authorizers");
    }

    @Override
    public String toString() {
        return "AuthorizerTokens[component " + componentAppid + "]";
    }
}
