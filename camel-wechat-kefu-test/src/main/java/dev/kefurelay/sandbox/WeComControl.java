package dev.kefurelay.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.Function;

/**
 * The sandbox's own buttons for WeCom 微信客服, for a person trying it with curl (the same as the Java calls of
 * {@link SandboxWeCom}); a missing or bad parameter is answered HTTP 400 naming it:
 * <ul>
 * <li>{@code /sandbox/wecom/customer/write?open_kfid=…&external_userid=…&text=…}: a customer writes (a callback
 *     follows when the sandbox pushes somewhere);</li>
 * <li>{@code /sandbox/wecom/customer/enter?open_kfid=…&external_userid=…&scene_param=…}: a customer enters the
 *     session; the answer holds the welcome code;</li>
 * <li>{@code /sandbox/wecom/session?open_kfid=…&external_userid=…} shows the session, {@code &state=0..4} sets it;</li>
 * <li>{@code /sandbox/wecom/sent?open_kfid=…&external_userid=…} lists what reached the customer.</li>
 * </ul>
 */
final class WeComControl {

    private final SandboxWeCom wecom;

    private WeComControl(SandboxWeCom wecom) {
        this.wecom = wecom;
    }

    static void register(Map<String, Function<ApiRequest, ApiReply>> routes, SandboxWeCom wecom) {
        WeComControl control = new WeComControl(wecom);
        routes.put("/sandbox/wecom/customer/write", WorldControl.guarded(control::write));
        routes.put("/sandbox/wecom/customer/enter", WorldControl.guarded(control::enter));
        routes.put("/sandbox/wecom/session", WorldControl.guarded(control::session));
        routes.put("/sandbox/wecom/sent", WorldControl.guarded(control::sent));
    }

    private ApiReply write(ApiRequest request) {
        String text = request.param("text") == null ? "hello" : request.param("text");
        String msgid = wecom.customerWrites(WorldControl.required(request, "open_kfid"),
                WorldControl.required(request, "external_userid"), text);
        return WorldControl.done(Json.newObject().put("msgid", msgid));
    }

    private ApiReply enter(ApiRequest request) {
        String code = wecom.customerEnters(WorldControl.required(request, "open_kfid"),
                WorldControl.required(request, "external_userid"), request.param("scene_param"));
        return WorldControl.done(Json.newObject().put("welcome_code", code));
    }

    private ApiReply session(ApiRequest request) {
        String openKfid = WorldControl.required(request, "open_kfid");
        String customer = WorldControl.required(request, "external_userid");
        String state = request.param("state");
        if (state != null) {
            try {
                wecom.sessionState(openKfid, customer, Integer.parseInt(state));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("state must be 0, 1, 2, 3 or 4, not '" + state + "'");
            }
        }
        ObjectNode reply = Json.newObject().put("open_kfid", openKfid).put("external_userid", customer);
        wecom.session(openKfid, customer).ifPresentOrElse(s -> {
            reply.put("service_state", s.state()).put("places_left", s.placesLeft());
            if (s.windowClosesAt() != null) {
                reply.put("window_closes_at", s.windowClosesAt().toString());
            }
        }, () -> reply.putNull("service_state"));
        return ApiReply.json(reply);
    }

    private ApiReply sent(ApiRequest request) {
        ArrayNode list = Json.newObject().arrayNode();
        for (KfDelivery d : wecom.sentTo(WorldControl.required(request, "open_kfid"),
                WorldControl.required(request, "external_userid"))) {
            list.addObject().put("msgtype", d.msgtype()).put("msgid", d.msgid()).put("on_event", d.onEvent())
                    .set("body", d.body());
        }
        ObjectNode reply = Json.newObject();
        reply.set("sent", list);
        return ApiReply.json(reply);
    }
}
