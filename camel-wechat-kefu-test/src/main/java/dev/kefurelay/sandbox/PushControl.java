package dev.kefurelay.sandbox;

import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sandbox's own buttons, for a person trying the third-party flow with curl: {@code POST /sandbox/push/ticket},
 * {@code /sandbox/push/authorized?appid=…}, {@code /sandbox/push/unauthorized?appid=…} and
 * {@code /sandbox/push/text?appid=…&openid=…&content=…}, {@code /sandbox/push/event?appid=…&openid=…&event=CLICK&key=…}
 * (a user's event: CLICK, subscribe, SCAN, unsubscribe, …; the text and the events open or close the user's window
 * as WeChat's would), {@code /sandbox/push/miniprogram?appid=…&openid=…&content=…&format=json} (a Mini Program
 * user's text in JSON or XML; {@code event=user_enter_tempsession} instead of content: the user enters the
 * customer-service session) and {@code /sandbox/push/template-finished?msgid=…&status=success} (a template message's
 * {@code TEMPLATESENDJOBFINISH}) make the sandbox push to the relay it was pointed at ({@link WeChatSandbox#pushTo}).
 * The answer says what the relay answered; no ticket or code is in it.
 */
final class PushControl {

    private final Supplier<Pushes> target;
    private final SandboxTemplates templates;

    private PushControl(Supplier<Pushes> target, SandboxTemplates templates) {
        this.target = target;
        this.templates = templates;
    }

    /** @param target where to push: the relay {@link WeChatSandbox#pushTo} named last, or null before */
    static void register(Map<String, Function<ApiRequest, ApiReply>> routes, Supplier<Pushes> target,
            SandboxTemplates templates) {
        PushControl control = new PushControl(target, templates);
        routes.put("/sandbox/push/ticket", control::ticket);
        routes.put("/sandbox/push/authorized", control::authorized);
        routes.put("/sandbox/push/unauthorized", control::unauthorized);
        routes.put("/sandbox/push/text", control::text);
        routes.put("/sandbox/push/event", control::event);
        routes.put("/sandbox/push/miniprogram", control::miniProgram);
        routes.put("/sandbox/push/template-finished", control::templateFinished);
    }

    private ApiReply ticket(ApiRequest request) {
        return push(p -> p.verifyTicket("ticket@@@" + UUID.randomUUID()));
    }

    private ApiReply authorized(ApiRequest request) {
        String appid = required(request, "appid");
        return push(p -> p.authorized(appid));
    }

    private ApiReply unauthorized(ApiRequest request) {
        String appid = required(request, "appid");
        return push(p -> p.unauthorized(appid));
    }

    private ApiReply text(ApiRequest request) {
        String appid = required(request, "appid");
        String openid = request.param("openid") == null ? "oSandboxUser" : request.param("openid");
        String content = request.param("content") == null ? "hello" : request.param("content");
        return push(p -> p.to(appid).userText(appid, openid, content));
    }

    private ApiReply event(ApiRequest request) {
        String appid = required(request, "appid");
        String openid = request.param("openid") == null ? "oSandboxUser" : request.param("openid");
        String event = request.param("event") == null ? "CLICK" : request.param("event");
        return push(p -> p.to(appid).userEvent(appid, openid, event, request.param("key")));
    }

    private ApiReply miniProgram(ApiRequest request) {
        String appid = required(request, "appid");
        String openid = request.param("openid") == null ? "oSandboxUser" : request.param("openid");
        String format = request.param("format") == null ? "json" : request.param("format");
        if (!format.equals("json") && !format.equals("xml")) {
            return badRequest("format must be json or xml");
        }
        MiniProgramPushes.Format f = format.equals("json") ? MiniProgramPushes.Format.JSON : MiniProgramPushes.Format.XML;
        String event = request.param("event");
        if (event != null && !event.equals("user_enter_tempsession")) {
            return badRequest("event must be user_enter_tempsession");
        }
        String content = request.param("content") == null ? "hello" : request.param("content");
        return push(p -> event != null ? p.to(appid).miniProgram(f).userEnteredSession(appid, openid,
                request.param("from")) : p.to(appid).miniProgram(f).userText(appid, openid, content));
    }

    private ApiReply templateFinished(ApiRequest request) {
        long msgid;
        try {
            msgid = Long.parseLong(request.param("msgid"));
        } catch (NumberFormatException e) {
            return badRequest("msgid must be the msgid template/send answered");
        }
        String status = request.param("status") == null ? TemplateApi.SUCCESS : request.param("status");
        try {
            return push(p -> templates.finishJob(msgid, status));
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
    }

    private static ApiReply badRequest(String error) {
        return new ApiReply(400, ApiReply.JSON, Json.bytes(Json.newObject().put("error", error)));
    }

    private ApiReply push(Function<Pushes, Pushes.Result> what) {
        Pushes pushes = target.get();
        ObjectNode reply = Json.newObject();
        if (pushes == null) {
            reply.put("error", "this sandbox pushes nowhere: start the relay with kefu.sandbox=true and kefu.push.port");
            return new ApiReply(409, ApiReply.JSON, Json.bytes(reply));
        }
        Pushes.Result result = what.apply(pushes);
        reply.put("pushed_to", result.path());
        reply.put("relay_status", result.status());
        reply.put("relay_answer", result.body());
        return ApiReply.json(reply);
    }

    private static String required(ApiRequest request, String name) {
        String value = request.param(name);
        if (value == null || value.isBlank()) {
            throw new ApiException(ErrorCodes.APPID_MISSING);
        }
        return value;
    }
}
