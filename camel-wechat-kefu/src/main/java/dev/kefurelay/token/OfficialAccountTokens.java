package dev.kefurelay.token;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.InvalidMessageException;
import dev.kefurelay.wechat.ErrorPolicy;
import dev.kefurelay.wechat.WeChatClient;
import dev.kefurelay.wechat.WeChatReply;

/** Tokens of official accounts the relay holds the secret of: {@code stable_token} or {@code /cgi-bin/token}. */
public final class OfficialAccountTokens implements TokenSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WeChatClient api;
    private final TokenMode mode;
    private final Map<String, String> secrets;
    private final OptionNames names;

    public OfficialAccountTokens(WeChatClient api, TokenMode mode, Map<String, String> secretsByAppid,
            OptionNames names) {
        if (mode == TokenMode.COMPONENT) {
            throw new IllegalArgumentException("component tokens come from the component token source");
        }
        this.api = api;
        this.mode = mode;
        this.secrets = new java.util.concurrent.ConcurrentHashMap<>(secretsByAppid);
        this.names = names;
    }

    /**
     * Makes one more account known (an endpoint that brings its secret). The same appid with another secret is
     * refused: two endpoints cannot both be right, and the tokens of one account are shared.
     */
    public void add(String appid, String secret) {
        String before = secrets.putIfAbsent(appid, secret);
        if (before != null && !before.equals(secret)) {
            throw new IllegalArgumentException("wechat-kefu: appid '" + appid + "' is configured with another secret "
                    + "than this endpoint's");
        }
    }

    @Override
    public AccessToken fetch(String appid, boolean forceRefresh) {
        String secret = secrets.get(appid);
        if (secret == null) {
            throw new InvalidMessageException(notConfigured(appid));
        }
        WeChatReply reply = mode == TokenMode.STABLE ? stableToken(appid, secret, forceRefresh)
                : api.get("/cgi-bin/token", "grant_type=client_credential&appid=" + encode(appid)
                        + "&secret=" + encode(secret));
        ErrorPolicy.requireTokenReply(reply, "access token for " + appid);
        return new AccessToken(reply.text("access_token"), Duration.ofSeconds(reply.number("expires_in", 7200)));
    }

    /** Whether no account is known at all: then every message fails. */
    boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** The appids known now, in no order. */
    Set<String> appids() {
        return Set.copyOf(secrets.keySet());
    }

    @Override
    public boolean knows(String appid) {
        return secrets.containsKey(appid);
    }

    @Override
    public String notConfigured(String appid) {
        return "appid '" + appid + "' is not a configured account: set " + names.name("accounts", appid) + " (or "
                + names.name("appid") + " and " + names.name("secret") + ")";
    }

    private WeChatReply stableToken(String appid, String secret, boolean forceRefresh) {
        ObjectNode body = JSON.createObjectNode()
                .put("grant_type", "client_credential")
                .put("appid", appid)
                .put("secret", secret)
                .put("force_refresh", forceRefresh);
        return api.post("/cgi-bin/stable_token", null, body.toString(), false);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
