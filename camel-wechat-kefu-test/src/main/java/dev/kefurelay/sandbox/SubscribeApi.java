package dev.kefurelay.sandbox;

import dev.kefurelay.wechat.Channel;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code POST /cgi-bin/message/subscribe/bizsend}: an Official Account's subscribe message (订阅通知), and
 * {@code POST /cgi-bin/message/subscribe/send}, a Mini Program's, judged alike here. Each needs
 * the user's consent to that template, one consent per message. Checked in this order: the token, {@code touser}
 * (40003), the account's subscribe template (40037), {@code data} against its keys, empty values refused as WeChat
 * does (47003 {@code argument invalid! data.thing1.value is emtpy}), {@code miniprogram} (47001 when not an object),
 * then the consent, used up by the message (43101 {@code user refuse to accept the msg} when none is left).
 */
final class SubscribeApi {

    static final String SEND = "/cgi-bin/message/subscribe/bizsend";
    static final String MINIPROGRAM_SEND = "/cgi-bin/message/subscribe/send";

    private final TokenIssuer issuer;
    private final Templates templates;
    private final Traffic traffic;

    SubscribeApi(TokenIssuer issuer, Templates templates, Traffic traffic) {
        this.issuer = issuer;
        this.templates = templates;
        this.traffic = traffic;
    }

    /** POST /cgi-bin/message/subscribe/bizsend?access_token=T */
    ApiReply send(ApiRequest request) {
        String appid = issuer.ownerOf(request.param("access_token"), TokenIssuer.ACCOUNT_TOKENS);
        ObjectNode body = Json.object(request.body());
        String touser = MessageValidator.requireTouser(body);
        String templateId = Json.text(body, "template_id");
        Templates.checkData(body.get("data"), templates.subscribeKeys(appid, templateId), true);
        Templates.checkMiniprogram(body);
        templates.useConsent(appid, touser, templateId);
        Delivery delivery = new Delivery(appid, touser, Channel.SUBSCRIBE, null, templateId, null, body);
        traffic.reached(delivery);
        DeliveryLog.reached(delivery);
        return ApiReply.ok();
    }
}
