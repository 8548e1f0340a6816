package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * custom/send and custom/typing: token check, then body check, then the user's window (custom/send only: WeChat's
 * window rules name custom/send, and the sandbox neither counts nor refuses typing), then record.
 */
final class MessageApi {

    static final String SEND = "/cgi-bin/message/custom/send";

    private final TokenIssuer issuer;
    private final Faults faults;
    private final Traffic traffic;
    private final MediaApi media;
    private final Windows windows;

    MessageApi(TokenIssuer issuer, Faults faults, Traffic traffic, MediaApi media, Windows windows) {
        this.issuer = issuer;
        this.faults = faults;
        this.traffic = traffic;
        this.media = media;
        this.windows = windows;
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
        String touser = MessageValidator.validate(message);
        String msgtype = Json.text(message, "msgtype");
        media.checkIds(appid, msgtype, message.get(msgtype));
        // last: a message refused for anything else takes no place in the window
        windows.take(appid, touser);
        traffic.delivered(new WeChatSandbox.Delivered(appid, touser, msgtype, message));
        DeliveryLog.delivered(appid, touser, msgtype, message);
        return ApiReply.ok();
    }

    /** POST /cgi-bin/message/custom/typing?access_token=T */
    ApiReply typing(ApiRequest request) {
        issuer.ownerOf(request.param("access_token"), TokenIssuer.ACCOUNT_TOKENS);
        ObjectNode body = Json.object(request.body());
        String touser = MessageValidator.requireTouser(body);
        String command = Json.text(body, "command");
        if (!"Typing".equals(command) && !"CancelTyping".equals(command)) {
            throw new ApiException(ErrorCodes.DATA_FORMAT_ERROR);
        }
        traffic.typing(touser, command);
        return ApiReply.ok();
    }
}
