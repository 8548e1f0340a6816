package dev.kefurelay.token;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.InvalidMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A change to one authorizer of a third-party platform, in one of three forms: its refresh token (given by an
 * operator), an authorization code (WeChat pushed {@code authorized} or {@code updateauthorized}; exchanged through
 * {@code api_query_auth}), or its withdrawal (WeChat pushed {@code unauthorized}). As JSON (the relay's queue
 * {@code kefu.authorizers}): {@code {"authorizer_appid":…,"authorizer_refresh_token":…}},
 * {@code {"authorizer_appid":…,"authorization_code":…}} or {@code {"authorizer_appid":…,"withdrawn":<epoch ms>}}.
 * {@link #toString()} leaves out the token and the code.
 *
 * @param refreshToken      the new authorizer_refresh_token, or null
 * @param authorizationCode the one-time code, or null
 * @param withdrawnAt       when the authorization was withdrawn, or null
 */
public record AuthorizerUpdate(String appid, String refreshToken, String authorizationCode, Instant withdrawnAt) {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizerUpdate.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static AuthorizerUpdate authorized(String appid, String authorizationCode) {
        return new AuthorizerUpdate(appid, null, authorizationCode, null);
    }

    public static AuthorizerUpdate withdrawn(String appid, Instant at) {
        return new AuthorizerUpdate(appid, null, null, at);
    }

    /** @throws InvalidMessageException not one of the three forms; the text quotes no value */
    public static AuthorizerUpdate parse(String json) {
        JsonNode body;
        try {
            body = JSON.readTree(json);
        } catch (Exception e) {
            // the parser's text quotes the input, which holds a refresh token
            throw new InvalidMessageException("an authorizer update must be JSON "
                    + "{\"authorizer_appid\":…,\"authorizer_refresh_token\":…}");
        }
        String appid = body == null ? null : blankToNull(body.path("authorizer_appid").asText(null));
        if (appid != null && body.hasNonNull("withdrawn")) {
            return withdrawn(appid, Instant.ofEpochMilli(body.path("withdrawn").asLong()));
        }
        String code = body == null ? null : blankToNull(body.path("authorization_code").asText(null));
        if (appid != null && code != null) {
            return authorized(appid, code);
        }
        String refreshToken = body == null ? null : blankToNull(body.path("authorizer_refresh_token").asText(null));
        if (appid == null || refreshToken == null) {
            throw new InvalidMessageException("an authorizer update needs authorizer_appid and "
                    + "authorizer_refresh_token (or authorization_code, or withdrawn)");
        }
        return new AuthorizerUpdate(appid, refreshToken, null, null);
    }

    public String toJson() {
        ObjectNode out = JSON.createObjectNode().put("authorizer_appid", appid);
        if (withdrawnAt != null) {
            out.put("withdrawn", withdrawnAt.toEpochMilli());
        } else if (authorizationCode != null) {
            out.put("authorization_code", authorizationCode);
        } else {
            out.put("authorizer_refresh_token", refreshToken);
        }
        return out.toString();
    }

    /**
     * Applies it: the refresh token stored, the code exchanged and its refresh token stored, or the authorizer
     * stopped; and its cached access token dropped (it belongs to the old authorization). Returns the authorizer
     * changed (a code may turn out to be another authorizer's).
     *
     * @throws dev.kefurelay.wechat.SendFailedException WeChat refused the code (retryable or not)
     */
    public String applyTo(TokenSources.Platform platform, TokenCache tokens) {
        if (withdrawnAt != null) {
            platform.authorizers().withdraw(appid, withdrawnAt);
            tokens.invalidate(appid);
            return appid;
        }
        if (authorizationCode != null) {
            String authorized = platform.authorizers().authorize(authorizationCode);
            if (!authorized.equals(appid)) {
                LOG.warn("the authorization code pushed for authorizer {} belongs to authorizer {}: {} is the one "
                        + "stored", appid, authorized, authorized);
            }
            tokens.invalidate(authorized);
            return authorized;
        }
        platform.refreshTokens().update(appid, refreshToken);
        platform.authorizers().updated(appid);
        tokens.invalidate(appid);
        LOG.info("authorizer {} added or updated; its refresh token is stored", appid);
        return appid;
    }

    @Override
    public String toString() {
        return "AuthorizerUpdate[" + appid + ": " + (withdrawnAt != null ? "withdrawn " + withdrawnAt
                : authorizationCode != null ? "authorization code ***" : "refresh token ***") + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
