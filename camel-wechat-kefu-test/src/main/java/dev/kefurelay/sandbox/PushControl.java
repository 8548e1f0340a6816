package dev.kefurelay.sandbox;

import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sandbox's own buttons, for a person trying the third-party flow with curl: {@code POST /sandbox/push/ticket},
 * {@code /sandbox/push/authorized?appid=…}, {@code /sandbox/push/unauthorized?appid=…} and
 * {@code /sandbox/push/text?appid=…&openid=…&content=…} make the sandbox push to the relay it was pointed at
 * ({@link WeChatSandbox#pushTo}). The answer says what the relay answered; no ticket or code is in it.
 */
final class PushControl {

    private final Supplier<Pushes> target;

    PushControl(Supplier<Pushes> target) {
        this.target = target;
    }

    ApiReply ticket(ApiRequest request) {
        return push(p -> p.verifyTicket("ticket@@@" + UUID.randomUUID()));
    }

    ApiReply authorized(ApiRequest request) {
        String appid = required(request, "appid");
        return push(p -> p.authorized(appid));
    }

    ApiReply unauthorized(ApiRequest request) {
        String appid = required(request, "appid");
        return push(p -> p.unauthorized(appid));
    }

    ApiReply text(ApiRequest request) {
        String appid = required(request, "appid");
        String openid = request.param("openid") == null ? "oSandboxUser" : request.param("openid");
        String content = request.param("content") == null ? "hello" : request.param("content");
        return push(p -> p.userText(appid, openid, content));
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
