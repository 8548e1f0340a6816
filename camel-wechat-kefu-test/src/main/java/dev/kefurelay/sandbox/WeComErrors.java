package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * WeCom's errcodes and errmsgs, as {@code qyapi.weixin.qq.com} writes them: the text, then
 * {@code , hint: [<request id>], from ip: <ip>, more info at https://open.work.weixin.qq.com/devtool/query?e=<errcode>}
 * (the form seen in users' reports, e.g. 95018 {@code send msg session status invalid, hint: […]}). Some codes mean
 * another thing than at WeChat: 40001 is a wrong corpsecret, an unknown token is 40014.
 */
final class WeComErrors {

    static final int INVALID_SECRET = 40001;
    static final int INVALID_MEDIA_FILE_TYPE = 40004;
    static final int INVALID_TYPE = 40005;
    static final int INVALID_FILE_SIZE = 40006;
    static final int INVALID_MEDIA_ID = 40007;
    static final int INVALID_MESSAGE_TYPE = 40008;
    static final int INVALID_CORPID = 40013;
    static final int INVALID_ACCESS_TOKEN = 40014;
    /** WeCom's "不合法的参数": what a bad field, cursor, code or msgid is answered. */
    static final int INVALID_PARAMETER = 40058;
    static final int ACCESS_TOKEN_MISSING = 41001;
    static final int CORPID_MISSING = 41002;
    static final int SECRET_MISSING = 41004;
    static final int ACCESS_TOKEN_EXPIRED = 42001;
    static final int EMPTY_MEDIA = 44001;
    static final int EMPTY_CONTENT = 44004;
    static final int MEDIA_TOO_LARGE = 45001;
    static final int CONTENT_TOO_LONG = 45002;
    static final int DATA_FORMAT_ERROR = 47001;
    static final int INVALID_OPEN_KFID = 95000;
    /** Outside the 48 hours after the customer's last message, or its 5 messages used up. */
    static final int SEND_COUNT_LIMIT = 95001;
    static final int OPEN_KFID_MISSING = 95004;
    static final int INVALID_MSG_TOKEN = 95007;
    static final int STATE_CHANGE_NOT_ALLOWED = 95016;
    static final int SESSION_STATE_INVALID = 95018;

    private static final Map<Integer, String> MESSAGES = Map.ofEntries(
            Map.entry(0, "ok"),
            Map.entry(-1, "system busy"),
            Map.entry(INVALID_SECRET, "invalid credential"),
            Map.entry(INVALID_MEDIA_FILE_TYPE, "invalid media file type"),
            Map.entry(INVALID_TYPE, "invalid type"),
            Map.entry(INVALID_FILE_SIZE, "invalid file size"),
            Map.entry(INVALID_MEDIA_ID, "invalid media_id"),
            Map.entry(INVALID_MESSAGE_TYPE, "invalid message type"),
            Map.entry(INVALID_CORPID, "invalid corpid"),
            Map.entry(INVALID_ACCESS_TOKEN, "invalid access_token"),
            Map.entry(INVALID_PARAMETER, "invalid parameter"),
            Map.entry(ACCESS_TOKEN_MISSING, "access_token missing"),
            Map.entry(CORPID_MISSING, "corpid missing"),
            Map.entry(SECRET_MISSING, "corpsecret missing"),
            Map.entry(ACCESS_TOKEN_EXPIRED, "access_token expired"),
            Map.entry(EMPTY_MEDIA, "empty media data"),
            Map.entry(EMPTY_CONTENT, "empty content"),
            Map.entry(MEDIA_TOO_LARGE, "media size out of limit"),
            Map.entry(CONTENT_TOO_LONG, "content size out of limit"),
            Map.entry(45033, "api concurrent out of limit"),
            Map.entry(DATA_FORMAT_ERROR, "data format error"),
            Map.entry(INVALID_OPEN_KFID, "invalid open_kfid"),
            Map.entry(SEND_COUNT_LIMIT, "send msg count limit"),
            Map.entry(OPEN_KFID_MISSING, "open_kfid missing"),
            Map.entry(INVALID_MSG_TOKEN, "invalid msg token"),
            Map.entry(STATE_CHANGE_NOT_ALLOWED, "service state change not allowed"),
            Map.entry(SESSION_STATE_INVALID, "send msg session status invalid"));

    private WeComErrors() {
    }

    /** {@code {"errcode","errmsg"}}; {@code text} replaces the table's text when given (what exactly was wrong). */
    static ObjectNode node(int errcode, String text) {
        ObjectNode node = Json.newObject();
        node.put("errcode", errcode);
        node.put("errmsg", errmsg(errcode, text));
        return node;
    }

    static ApiReply reply(int errcode, String text) {
        return ApiReply.json(node(errcode, text));
    }

    /**
     * A refusal, answered with WeCom's code and words. One without words of its own may come from the shared
     * checks (token, JSON body), which speak WeChat's codes: those are translated.
     */
    static ApiReply reply(ApiException e) {
        return reply(e.hint() == null ? fromWeChat(e.errcode()) : e.errcode(), e.hint());
    }

    static String errmsg(int errcode, String text) {
        if (errcode == 0) {
            return "ok";
        }
        String words = text != null ? text : MESSAGES.getOrDefault(errcode, "sandbox injected error " + errcode);
        return words + ", hint: [" + System.currentTimeMillis() + "0" + ThreadLocalRandom.current().nextInt(100_000,
                999_999) + "], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e="
                + errcode;
    }

    /**
     * The sandbox's shared token issuer and JSON reader speak WeChat: an unknown or revoked token is WeChat's 40001,
     * WeCom's 40014; an empty body WeChat's 44002, WeCom's data format error.
     */
    private static int fromWeChat(int errcode) {
        return switch (errcode) {
            case ErrorCodes.INVALID_CREDENTIAL -> INVALID_ACCESS_TOKEN;
            case ErrorCodes.EMPTY_POST_DATA -> DATA_FORMAT_ERROR;
            default -> errcode;
        };
    }

    /** Answers whatever a WeCom endpoint throws in WeCom's words, so the HTTP layer's WeChat texts never show. */
    static Function<ApiRequest, ApiReply> guarded(Function<ApiRequest, ApiReply> endpoint) {
        return request -> {
            try {
                return endpoint.apply(request);
            } catch (ApiException e) {
                return reply(e);
            }
        };
    }
}
