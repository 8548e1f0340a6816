package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** The four token endpoints: turns requests into checks against the registries and answers in WeChat's shapes. */
final class TokenApi {

    private static final Set<TokenIssuer.Kind> COMPONENT_ONLY = Set.of(TokenIssuer.Kind.COMPONENT);

    private final Accounts accounts;
    private final Authorizers authorizers;
    private final TokenIssuer issuer;
    private final Traffic traffic;

    TokenApi(Accounts accounts, Authorizers authorizers, TokenIssuer issuer, Traffic traffic) {
        this.accounts = accounts;
        this.authorizers = authorizers;
        this.issuer = issuer;
        this.traffic = traffic;
    }

    /** GET /cgi-bin/token */
    ApiReply clientCredential(ApiRequest request) {
        String appid = request.param("appid");
        traffic.tokenFetch(appid);
        requireClientCredential(request.param("grant_type"));
        accounts.checkAccount(appid, request.param("secret"));
        return accessToken(issuer.issue(TokenIssuer.Kind.CLIENT_CREDENTIAL, appid));
    }

    /** POST /cgi-bin/stable_token */
    ApiReply stable(ApiRequest request) {
        ObjectNode body = bodyCounted(request, "appid");
        requireClientCredential(Json.text(body, "grant_type"));
        String appid = Json.text(body, "appid");
        accounts.checkAccount(appid, Json.text(body, "secret"));
        return accessToken(issuer.stable(appid, body.path("force_refresh").asBoolean(false)));
    }

    /** POST /cgi-bin/component/api_component_token */
    ApiReply componentToken(ApiRequest request) {
        ObjectNode body = bodyCounted(request, "component_appid");
        String componentAppid = Json.text(body, "component_appid");
        accounts.checkComponent(componentAppid, Json.text(body, "component_appsecret"),
                Json.text(body, "component_verify_ticket"));
        TokenIssuer.Issued token = issuer.issue(TokenIssuer.Kind.COMPONENT, componentAppid);
        ObjectNode reply = Json.newObject();
        reply.put("component_access_token", token.value());
        reply.put("expires_in", token.expiresIn());
        return ApiReply.json(reply);
    }

    /** POST /cgi-bin/component/api_authorizer_token?component_access_token=CT */
    ApiReply authorizerToken(ApiRequest request) {
        ObjectNode body = bodyCounted(request, "authorizer_appid");
        String component = issuer.ownerOf(request.param("component_access_token"),
                COMPONENT_ONLY);
        if (!component.equals(Json.text(body, "component_appid"))) {
            throw new ApiException(ErrorCodes.INVALID_APPID);
        }
        String authorizerAppid = Json.text(body, "authorizer_appid");
        String nextRefreshToken = authorizers.rotate(authorizerAppid, Json.text(body, "authorizer_refresh_token"));
        TokenIssuer.Issued token = issuer.issue(TokenIssuer.Kind.AUTHORIZER, authorizerAppid);
        ObjectNode reply = Json.newObject();
        reply.put("authorizer_access_token", token.value());
        reply.put("expires_in", token.expiresIn());
        reply.put("authorizer_refresh_token", nextRefreshToken);
        return ApiReply.json(reply);
    }

    /** POST /cgi-bin/component/api_query_auth?component_access_token=CT: an authorization code for its authorizer */
    ApiReply queryAuth(ApiRequest request) {
        ObjectNode body = bodyCounted(request, "component_appid");
        String component = issuer.ownerOf(request.param("component_access_token"), COMPONENT_ONLY);
        if (!component.equals(Json.text(body, "component_appid"))) {
            throw new ApiException(ErrorCodes.INVALID_APPID);
        }
        String authorizerAppid = authorizers.redeem(Json.text(body, "authorization_code"));
        TokenIssuer.Issued token = issuer.issue(TokenIssuer.Kind.AUTHORIZER, authorizerAppid);
        ObjectNode info = Json.newObject();
        info.put("authorizer_appid", authorizerAppid);
        info.put("authorizer_access_token", token.value());
        info.put("expires_in", token.expiresIn());
        info.put("authorizer_refresh_token", authorizers.current(authorizerAppid));
        // the permission sets granted; 1 = message management, the one customer-service messages need
        info.putArray("func_info").addObject().putObject("funcscope_category").put("id", 1);
        ObjectNode reply = Json.newObject();
        reply.set("authorization_info", info);
        return ApiReply.json(reply);
    }

    /** Parses a JSON body and counts the call under the appid it names, even when the body is unreadable. */
    private ObjectNode bodyCounted(ApiRequest request, String appidField) {
        ObjectNode body;
        try {
            body = Json.object(request.body());
        } catch (ApiException e) {
            traffic.tokenFetch(null);
            throw e;
        }
        traffic.tokenFetch(Json.text(body, appidField));
        return body;
    }

    private static void requireClientCredential(String grantType) {
        if (!"client_credential".equals(grantType)) {
            throw new ApiException(ErrorCodes.INVALID_GRANT_TYPE);
        }
    }

    private static ApiReply accessToken(TokenIssuer.Issued token) {
        ObjectNode reply = Json.newObject();
        reply.put("access_token", token.value());
        reply.put("expires_in", token.expiresIn());
        return ApiReply.json(reply);
    }
}
