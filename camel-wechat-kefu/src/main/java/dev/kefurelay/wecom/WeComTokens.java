package dev.kefurelay.wecom;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.token.AccessToken;
import dev.kefurelay.token.OptionNames;
import dev.kefurelay.token.TokenSource;
import dev.kefurelay.wechat.ErrorPolicy;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.wechat.WeChatReply;

/**
 * WeCom corps' tokens: {@code GET /cgi-bin/gettoken?corpid=…&corpsecret=…}, behind the same {@code TokenCache} as
 * Official Accounts (single flight, refresh ahead, the shared store's row {@code wecom.<corpid>}, a token WeCom
 * rejects with 40014 or 42001 dropped and fetched anew).
 */
public final class WeComTokens implements TokenSource {

    private final WeChatClient api;
    private final Map<String, String> secrets;
    private final OptionNames names;

    /** @param secrets corpid → the secret of its 微信客服 app */
    public WeComTokens(WeChatClient api, Map<String, String> secrets, OptionNames names) {
        this.api = api;
        this.secrets = Map.copyOf(secrets);
        this.names = names;
    }

    @Override
    public AccessToken fetch(String corpid, boolean forceRefresh) {
        String secret = secrets.get(corpid);
        if (secret == null) {
            throw new InvalidMessageException(notConfigured(corpid));
        }
        // the query holds the secret: WeChatClient names only the path in what it throws
        WeChatReply reply = api.get("/cgi-bin/gettoken", "corpid=" + encode(corpid) + "&corpsecret=" + encode(secret));
        ErrorPolicy.requireTokenReply(reply, "WeCom access token for " + corpid);
        return new AccessToken(reply.text("access_token"), Duration.ofSeconds(reply.number("expires_in", 7200)));
    }

    @Override
    public boolean knows(String corpid) {
        return secrets.containsKey(corpid);
    }

    @Override
    public String notConfigured(String corpid) {
        return "corpid '" + corpid + "' is not a configured WeCom corp: set " + names.name("wecom-corps", corpid)
                + " (or " + names.name("wecom-corpid") + " and " + names.name("wecom-secret") + ")";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
