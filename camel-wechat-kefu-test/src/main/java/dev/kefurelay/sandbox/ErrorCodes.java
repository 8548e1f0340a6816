package dev.kefurelay.sandbox;

import java.util.Map;

/** WeChat's errmsg for each errcode the sandbox can answer, so clients see the texts they will see in production. */
final class ErrorCodes {

    static final int SYSTEM_BUSY = -1;
    static final int INVALID_CREDENTIAL = 40001;
    static final int INVALID_GRANT_TYPE = 40002;
    static final int INVALID_OPENID = 40003;
    static final int INVALID_MEDIA_TYPE = 40004;
    static final int INVALID_FILE_TYPE = 40005;
    static final int INVALID_MEDIA_SIZE = 40006;
    static final int INVALID_MEDIA_ID = 40007;
    static final int INVALID_MESSAGE_TYPE = 40008;
    static final int MEDIA_DATA_MISSING = 41005;
    static final int MEDIA_SIZE_OUT_OF_LIMIT = 45001;
    static final int INVALID_APPID = 40013;
    static final int INVALID_TEMPLATE_ID = 40037;
    static final int REQUIRE_SUBSCRIBE = 43004;
    static final int USER_REFUSED_MESSAGE = 43101;
    static final int RESPONSE_OUT_OF_TIME_LIMIT = 45015;
    static final int OUT_OF_RESPONSE_COUNT_LIMIT = 45047;
    static final int CLIENT_MSG_ID_EXISTS = 45065;
    static final int INVALID_TYPING_COMMAND = 45072;
    static final int NO_RECENT_INTERACTION = 45080;
    static final int ALREADY_TYPING = 45081;
    static final int API_UNAUTHORIZED = 48001;
    static final int ARGUMENT_INVALID = 47003;
    static final int INVALID_APPSECRET = 40125;
    static final int ACCESS_TOKEN_MISSING = 41001;
    static final int APPID_MISSING = 41002;
    static final int APPSECRET_MISSING = 41004;
    static final int ACCESS_TOKEN_EXPIRED = 42001;
    static final int EMPTY_POST_DATA = 44002;
    static final int ARTICLE_SIZE_OUT_OF_LIMIT = 45008;
    static final int DATA_FORMAT_ERROR = 47001;
    static final int COMPONENT_TICKET_INVALID = 61006;
    static final int AUTHORIZATION_CODE_INVALID = 61009;
    static final int REFRESH_TOKEN_INVALID = 61023;

    private static final Map<Integer, String> MESSAGES = Map.ofEntries(
            Map.entry(0, "ok"),
            Map.entry(SYSTEM_BUSY, "system error"),
            Map.entry(INVALID_CREDENTIAL, "invalid credential, access_token is invalid or not latest"),
            Map.entry(INVALID_GRANT_TYPE, "invalid grant_type"),
            Map.entry(INVALID_OPENID, "invalid openid"),
            Map.entry(INVALID_MEDIA_TYPE, "invalid media type"),
            Map.entry(INVALID_FILE_TYPE, "invalid file type"),
            Map.entry(INVALID_MEDIA_SIZE, "invalid meida size"),
            Map.entry(INVALID_MEDIA_ID, "invalid media_id"),
            Map.entry(MEDIA_DATA_MISSING, "media data missing"),
            Map.entry(MEDIA_SIZE_OUT_OF_LIMIT, "media size out of limit"),
            Map.entry(INVALID_MESSAGE_TYPE, "invalid message type"),
            Map.entry(INVALID_APPID, "invalid appid"),
            Map.entry(40014, "invalid access_token"),
            Map.entry(INVALID_APPSECRET, "invalid appsecret"),
            Map.entry(40164, "invalid ip, not in whitelist"),
            Map.entry(ACCESS_TOKEN_MISSING, "access_token missing"),
            Map.entry(APPID_MISSING, "appid missing"),
            Map.entry(APPSECRET_MISSING, "appsecret missing"),
            Map.entry(ACCESS_TOKEN_EXPIRED, "access_token expired"),
            Map.entry(INVALID_TEMPLATE_ID, "invalid template_id"),
            Map.entry(REQUIRE_SUBSCRIBE, "require subscribe"),
            Map.entry(USER_REFUSED_MESSAGE, "user refuse to accept the msg"),
            Map.entry(EMPTY_POST_DATA, "empty post data"),
            Map.entry(ARTICLE_SIZE_OUT_OF_LIMIT, "article size out of limit"),
            Map.entry(45009, "reach max api daily quota limit"),
            Map.entry(45011, "api minute-quota reach limit  mustslower  retry next minute"),
            Map.entry(RESPONSE_OUT_OF_TIME_LIMIT, "response out of time limit or subscription is canceled"),
            Map.entry(OUT_OF_RESPONSE_COUNT_LIMIT, "out of response count limit"),
            Map.entry(CLIENT_MSG_ID_EXISTS, "clientmsgid exist"),
            Map.entry(INVALID_TYPING_COMMAND, "command field invalid"),
            Map.entry(NO_RECENT_INTERACTION, "user has not interacted in the last 30 seconds"),
            Map.entry(ALREADY_TYPING, "user is already in typing state"),
            Map.entry(DATA_FORMAT_ERROR, "data format error"),
            Map.entry(ARGUMENT_INVALID, "argument invalid!"),
            Map.entry(API_UNAUTHORIZED, "api unauthorized"),
            Map.entry(61004, "access clientip is not registered"),
            Map.entry(61005, "component ticket is expired"),
            Map.entry(COMPONENT_TICKET_INVALID, "component ticket is invalid"),
            Map.entry(AUTHORIZATION_CODE_INVALID, "code is invalid"),
            Map.entry(REFRESH_TOKEN_INVALID, "refresh_token is invalid"));

    private ErrorCodes() {
    }

    static String message(int errcode) {
        // Injected codes the table does not know still need a text: clients may log errmsg.
        return MESSAGES.getOrDefault(errcode, "sandbox injected error " + errcode);
    }
}
