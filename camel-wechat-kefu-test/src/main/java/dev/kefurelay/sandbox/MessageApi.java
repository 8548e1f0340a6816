package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kefurelay.message.AccountKind;

/**
 * custom/send, custom/typing and a Mini Program's custom/business/typing: token check, then body check by the
 * sending account's kind (a Mini Program takes four types; each kind types on its own path, the other answers
 * 48001), then the user's window (custom/send only: WeChat's window rules name custom/send; a Mini Program's typing
 * is judged by {@link BusinessTyping}), then record.
 */
final class MessageApi {

    static final String SEND = "/cgi-bin/message/custom/send";
    static final String TYPING = AccountKind.OFFICIAL.typingPath();
    static final String BUSINESS_TYPING = AccountKind.MINIPROGRAM.typingPath();

    private final TokenIssuer issuer;
    private final Faults faults;
    private final Traffic traffic;
    private final MediaApi media;
    private final Windows windows;
    private final Accounts accounts;
    private final BusinessTyping businessTyping;

    MessageApi(TokenIssuer issuer, Faults faults, Traffic traffic, MediaApi media, Windows windows, Accounts accounts,
            BusinessTyping businessTyping) {
        this.issuer = issuer;
        this.faults = faults;
        this.traffic = traffic;
        this.media = media;
        this.windows = windows;
        this.accounts = accounts;
        this.businessTyping = businessTyping;
    }

    /** POST /cgi-bin/message/custom/send?access_token=T */
    ApiReply send(ApiRequest request) {
        traffic.sendCall();
        // Injected faults win over every check: "the next N calls fail" must hold whatever the client sends.
        ApiReply fault = faults.nextSendFault();
        if (fault != null) {
            return fault;
        }
        // WeChat checks the token before it reads the body.
        String appid = issuer.ownerOf(request.param("access_token"), TokenIssuer.ACCOUNT_TOKENS);
        ObjectNode message = Json.object(request.body());
        String touser = MessageValidator.validate(message, accounts.kindOf(appid));
        String msgtype = Json.text(message, "msgtype");
        media.checkIds(appid, msgtype, message.get(msgtype));
        // last: a message refused for anything else takes no place in the window
        windows.take(appid, touser);
        traffic.delivered(new WeChatSandbox.Delivered(appid, touser, msgtype, message));
        DeliveryLog.delivered(appid, touser, msgtype, message);
        return ApiReply.ok();
    }

    /** POST /cgi-bin/message/custom/typing?access_token=T: an Official Account's */
    ApiReply typing(ApiRequest request) {
        String appid = issuer.ownerOf(request.param("access_token"), TokenIssuer.ACCOUNT_TOKENS);
        requireKind(appid, AccountKind.OFFICIAL);
        ObjectNode body = Json.object(request.body());
        String touser = MessageValidator.requireTouser(body);
        String command = Json.text(body, "command");
        if (!"Typing".equals(command) && !"CancelTyping".equals(command)) {
            throw new ApiException(ErrorCodes.DATA_FORMAT_ERROR);
        }
        traffic.typing(touser, command);
        return ApiReply.ok();
    }

    /** POST /cgi-bin/message/custom/business/typing?access_token=T: a Mini Program's, with an optional businessid */
    ApiReply businessTyping(ApiRequest request) {
        String appid = issuer.ownerOf(request.param("access_token"), TokenIssuer.ACCOUNT_TOKENS);
        requireKind(appid, AccountKind.MINIPROGRAM);
        ObjectNode body = Json.object(request.body());
        String touser = MessageValidator.requireTouser(body);
        String command = Json.text(body, "command");
        businessTyping.command(appid, touser, command);
        traffic.typing(touser, command);
        return ApiReply.ok();
    }

    /** Each kind's typing has its own path: the other kind's is not an API the account may call. */
    private void requireKind(String appid, AccountKind kind) {
        if (accounts.kindOf(appid) != kind) {
            throw new ApiException(ErrorCodes.API_UNAUTHORIZED);
        }
    }
}
