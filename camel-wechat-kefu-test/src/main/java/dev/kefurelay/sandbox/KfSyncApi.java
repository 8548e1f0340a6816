package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code POST /cgi-bin/kf/sync_msg}: {@code {"cursor"?, "token"?, "limit"?, "voice_format"?, "open_kfid"}} →
 * {@code {"errcode":0,"errmsg":"ok","next_cursor","has_more":0|1,"msg_list":[…]}}. Checked in this order: the token,
 * the body, open_kfid (95004, 95000), the callback's token when given (95007 unknown, of another account or older
 * than 10 minutes), limit (1 to 1000, default 1000; 40058 otherwise), the cursor (40058 when it is not one of this
 * account's).
 */
final class KfSyncApi {

    static final String SYNC = "/cgi-bin/kf/sync_msg";

    private final TokenIssuer issuer;
    private final WeComCorps corps;
    private final KfMessageLog log;
    private final KfTraffic traffic;

    KfSyncApi(TokenIssuer issuer, WeComCorps corps, KfMessageLog log, KfTraffic traffic) {
        this.issuer = issuer;
        this.corps = corps;
        this.log = log;
        this.traffic = traffic;
    }

    ApiReply sync(ApiRequest request) {
        traffic.syncCall();
        String corpid = issuer.ownerOf(request.param("access_token"), TokenIssuer.WECOM_TOKENS);
        ObjectNode body = Json.object(request.body());
        String openKfid = corps.kfAccountOf(corpid, Json.text(body, "open_kfid"));
        String token = Json.text(body, "token");
        if (token != null && !token.isEmpty()) {
            log.checkToken(openKfid, token);
        }
        KfMessageLog.Page page = log.read(openKfid, Json.text(body, "cursor"), limit(body.get("limit")));
        ObjectNode reply = WeComErrors.node(0, null);
        reply.put("next_cursor", page.nextCursor());
        reply.put("has_more", page.hasMore() ? 1 : 0);
        ArrayNode list = reply.putArray("msg_list");
        page.messages().forEach(list::add);
        return ApiReply.json(reply);
    }

    private static int limit(JsonNode limit) {
        if (limit == null || limit.isNull()) {
            return KfMessageLog.MAX_LIMIT;
        }
        if (!limit.isIntegralNumber() || limit.asInt() < 1 || limit.asInt() > KfMessageLog.MAX_LIMIT) {
            throw new ApiException(WeComErrors.INVALID_PARAMETER, "invalid limit");
        }
        return limit.asInt();
    }
}
