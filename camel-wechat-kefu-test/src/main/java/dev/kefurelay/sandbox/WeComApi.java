package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.Function;

/**
 * WeCom 微信客服's API in the sandbox, on the same port as WeChat's (the paths do not meet, and media/upload goes to
 * WeCom's when its token is a corp's): {@code GET /cgi-bin/gettoken?corpid=…&corpsecret=…} (the same token while it
 * is valid, as WeCom does; expiring on the sandbox's clock), {@code kf/send_msg}, {@code kf/send_msg_on_event}
 * ({@link KfSendApi}), {@code kf/sync_msg} ({@link KfSyncApi}), {@code kf/service_state/get} and
 * {@code kf/service_state/trans} (here), and {@code media/upload} ({@link WeComMediaApi}). Every answer is in WeCom's
 * words ({@link WeComErrors}).
 */
final class WeComApi {

    static final String GETTOKEN = "/cgi-bin/gettoken";
    static final String STATE_GET = "/cgi-bin/kf/service_state/get";
    static final String STATE_TRANS = "/cgi-bin/kf/service_state/trans";

    private final TokenIssuer issuer;
    private final WeComCorps corps;
    private final KfSessions sessions;
    private final KfTraffic traffic;

    private WeComApi(TokenIssuer issuer, WeComCorps corps, KfSessions sessions, KfTraffic traffic) {
        this.issuer = issuer;
        this.corps = corps;
        this.sessions = sessions;
        this.traffic = traffic;
    }

    /**
     * Adds WeCom's paths; {@code /cgi-bin/media/upload} already holds WeChat's, which stays the answer for every
     * token that is not a corp's.
     */
    static void register(Map<String, Function<ApiRequest, ApiReply>> routes, SandboxWeCom wecom, TokenIssuer issuer) {
        WeComApi api = new WeComApi(issuer, wecom.corps(), wecom.sessions(), wecom.traffic());
        routes.put(GETTOKEN, WeComErrors.guarded(api::gettoken));
        routes.put(KfSendApi.SEND, WeComErrors.guarded(wecom.sendApi()::send));
        routes.put(KfSendApi.SEND_ON_EVENT, WeComErrors.guarded(wecom.sendApi()::sendOnEvent));
        routes.put(KfSyncApi.SYNC, WeComErrors.guarded(wecom.syncApi()::sync));
        routes.put(STATE_GET, WeComErrors.guarded(api::stateGet));
        routes.put(STATE_TRANS, WeComErrors.guarded(api::stateTrans));
        Function<ApiRequest, ApiReply> wechatUpload = routes.get(MediaApi.UPLOAD);
        Function<ApiRequest, ApiReply> wecomUpload = WeComErrors.guarded(wecom.mediaApi()::upload);
        routes.put(MediaApi.UPLOAD, request -> issuer.isKind(request.param("access_token"), TokenIssuer.Kind.WECOM)
                ? wecomUpload.apply(request) : wechatUpload.apply(request));
    }

    /** GET /cgi-bin/gettoken?corpid=ID&corpsecret=SECRET */
    private ApiReply gettoken(ApiRequest request) {
        String corpid = request.param("corpid");
        traffic.tokenFetch(corpid);
        corps.check(corpid, request.param("corpsecret"));
        TokenIssuer.Issued token = issuer.wecom(corpid);
        ObjectNode reply = WeComErrors.node(0, null);
        reply.put("access_token", token.value());
        reply.put("expires_in", token.expiresIn());
        return ApiReply.json(reply);
    }

    /** POST /cgi-bin/kf/service_state/get: {@code {"open_kfid","external_userid"}} → state and servicer. */
    private ApiReply stateGet(ApiRequest request) {
        traffic.stateCall();
        KfSessions.Key key = key(request);
        ObjectNode reply = WeComErrors.node(0, null);
        KfSessions.Session session = sessions.session(key).orElse(null);
        // WeCom answers 0 for a customer it holds no session of: nothing is being handled
        reply.put("service_state", session == null ? KfSessions.UNHANDLED : session.state());
        if (session != null && session.servicer() != null) {
            reply.put("servicer_userid", session.servicer());
        }
        return ApiReply.json(reply);
    }

    /** POST /cgi-bin/kf/service_state/trans: {@code {"open_kfid","external_userid","service_state","servicer_userid"?}} */
    private ApiReply stateTrans(ApiRequest request) {
        KfSessions.Key key = key(request);
        ObjectNode body = Json.object(request.body());
        int state = body.path("service_state").isIntegralNumber() ? body.get("service_state").asInt() : -1;
        sessions.trans(key, state, Json.text(body, "servicer_userid"));
        ObjectNode reply = WeComErrors.node(0, null);
        if (state == KfSessions.QUEUED || state == KfSessions.AGENT || state == KfSessions.ENDED) {
            // a code for the message that may go with the change (a queue notice, a farewell)
            reply.put("msg_code", RandomTokens.next().substring(0, 32));
        }
        return ApiReply.json(reply);
    }

    private KfSessions.Key key(ApiRequest request) {
        String corpid = issuer.ownerOf(request.param("access_token"), TokenIssuer.WECOM_TOKENS);
        ObjectNode body = Json.object(request.body());
        String openKfid = corps.kfAccountOf(corpid, Json.text(body, "open_kfid"));
        String customer = Json.text(body, "external_userid");
        if (customer == null || customer.isEmpty()) {
            throw new ApiException(WeComErrors.INVALID_PARAMETER, "external_userid missing");
        }
        return new KfSessions.Key(openKfid, customer);
    }
}
