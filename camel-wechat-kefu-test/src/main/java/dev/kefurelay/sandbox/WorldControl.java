package dev.kefurelay.sandbox;

import dev.kefurelay.window.Interaction;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The sandbox's own buttons for its users' world, for a person trying it with curl (the same as the Java calls):
 * <ul>
 * <li>{@code /sandbox/window/open?appid=…&openid=…&interaction=message|menu_click|follow|scan|enter_session} opens a
 *     user's window without a push; {@code /sandbox/window?appid=…&openid=…} shows it;
 *     {@code /sandbox/window/enforce?on=true|false} makes custom/send refuse outside it (45015, 45047);</li>
 * <li>{@code /sandbox/user/unfollow?appid=…&openid=…};</li>
 * <li>{@code /sandbox/clock/advance?by=PT48H} (an ISO-8601 duration) moves the sandbox's time;</li>
 * <li>{@code /sandbox/template?appid=…&template_id=…&keys=first,keyword1}, {@code /sandbox/subscribe-template?…} (same
 *     parameters) add templates; {@code /sandbox/consent?appid=…&openid=…&template_id=…&times=1} a user's consent;</li>
 * <li>{@code /sandbox/deliveries?appid=…&openid=…} lists what reached the user, by channel.</li>
 * </ul>
 * A missing or bad parameter is answered HTTP 400 naming it.
 */
final class WorldControl {

    private final WeChatSandbox sandbox;

    private WorldControl(WeChatSandbox sandbox) {
        this.sandbox = sandbox;
    }

    static void register(Map<String, Function<ApiRequest, ApiReply>> routes, WeChatSandbox sandbox) {
        WorldControl control = new WorldControl(sandbox);
        routes.put("/sandbox/window/open", guarded(control::open));
        routes.put("/sandbox/window", guarded(control::window));
        routes.put("/sandbox/window/enforce", guarded(control::enforce));
        routes.put("/sandbox/user/unfollow", guarded(control::unfollow));
        routes.put("/sandbox/clock/advance", guarded(control::advance));
        routes.put("/sandbox/template", guarded(r -> control.template(r, false)));
        routes.put("/sandbox/subscribe-template", guarded(r -> control.template(r, true)));
        routes.put("/sandbox/consent", guarded(control::consent));
        routes.put("/sandbox/deliveries", guarded(control::deliveries));
    }

    private ApiReply open(ApiRequest request) {
        String name = request.param("interaction") == null ? "message" : request.param("interaction");
        Interaction interaction;
        try {
            interaction = Interaction.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("interaction must be one of " + Arrays.stream(Interaction.values())
                    .map(i -> i.name().toLowerCase(Locale.ROOT)).toList() + ", not '" + name + "'");
        }
        sandbox.users().interacted(required(request, "appid"), required(request, "openid"), interaction);
        return window(request);
    }

    private ApiReply window(ApiRequest request) {
        String appid = required(request, "appid");
        String openid = required(request, "openid");
        ObjectNode reply = Json.newObject();
        reply.put("appid", appid).put("openid", openid);
        sandbox.users().window(appid, openid).ifPresentOrElse(w -> reply.put("open", true)
                        .put("interaction", w.opener().name().toLowerCase(Locale.ROOT))
                        .put("opened_at", w.openedAt().toString()).put("closes_at", w.closesAt().toString())
                        .put("sent", w.sent()).put("places_left", w.placesLeft()),
                () -> reply.put("open", false));
        return ApiReply.json(reply);
    }

    private ApiReply enforce(ApiRequest request) {
        String on = required(request, "on");
        if (!on.equals("true") && !on.equals("false")) {
            throw new IllegalArgumentException("on must be true or false, not '" + on + "'");
        }
        sandbox.enforceWindow(Boolean.parseBoolean(on));
        return done(Json.newObject().put("enforce_window", Boolean.parseBoolean(on)));
    }

    private ApiReply unfollow(ApiRequest request) {
        sandbox.users().unfollowed(required(request, "appid"), required(request, "openid"));
        return window(request);
    }

    private ApiReply advance(ApiRequest request) {
        String by = required(request, "by");
        Duration duration;
        try {
            duration = Duration.parse(by);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("by must be an ISO-8601 duration such as PT48H or PT1M, not '" + by + "'");
        }
        sandbox.advance(duration);
        return done(Json.newObject().put("now", sandbox.clock().instant().toString()));
    }

    private ApiReply template(ApiRequest request, boolean subscribe) {
        String appid = required(request, "appid");
        String templateId = required(request, "template_id");
        String[] keys = required(request, "keys").split(",");
        if (subscribe) {
            sandbox.templates().subscribeTemplate(appid, templateId, keys);
        } else {
            sandbox.templates().template(appid, templateId, keys);
        }
        ObjectNode reply = Json.newObject().put("appid", appid).put("template_id", templateId);
        Arrays.stream(keys).forEach(reply.putArray("keys")::add);
        return done(reply);
    }

    private ApiReply consent(ApiRequest request) {
        String appid = required(request, "appid");
        String openid = required(request, "openid");
        String templateId = required(request, "template_id");
        int times = request.param("times") == null ? 1 : positive(request.param("times"), "times");
        sandbox.users().consent(appid, openid, templateId, times);
        return done(Json.newObject().put("consents_left", sandbox.users().consentsLeft(appid, openid, templateId)));
    }

    private ApiReply deliveries(ApiRequest request) {
        ArrayNode list = Json.newObject().arrayNode();
        for (Delivery d : sandbox.deliveriesTo(required(request, "appid"), required(request, "openid"))) {
            ObjectNode entry = list.addObject().put("channel", d.channel().wireName());
            if (d.msgtype() != null) {
                entry.put("msgtype", d.msgtype());
            }
            if (d.templateId() != null) {
                entry.put("template_id", d.templateId());
            }
            if (d.msgid() != null) {
                entry.put("msgid", d.msgid());
            }
            entry.set("body", d.body());
        }
        ObjectNode reply = Json.newObject();
        reply.set("deliveries", list);
        return ApiReply.json(reply);
    }

    static ApiReply done(ObjectNode reply) {
        return ApiReply.json(reply.put("ok", true));
    }

    /** Bad control input is the caller's mistake: HTTP 400 naming it, not a sandbox bug. */
    static Function<ApiRequest, ApiReply> guarded(Function<ApiRequest, ApiReply> control) {
        return request -> {
            try {
                return control.apply(request);
            } catch (IllegalArgumentException e) {
                return new ApiReply(400, ApiReply.JSON, Json.bytes(Json.newObject().put("error", e.getMessage())));
            }
        };
    }

    static String required(ApiRequest request, String name) {
        String value = request.param(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing query parameter '" + name + "'");
        }
        return value;
    }

    private static int positive(String value, String name) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalArgumentException(name + " must be a whole number above 0, not '" + value + "'");
    }
}
