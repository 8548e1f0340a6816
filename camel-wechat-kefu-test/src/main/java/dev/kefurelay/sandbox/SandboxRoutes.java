package dev.kefurelay.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every path the sandbox answers and the part that answers it, added in this order: WeChat's API, then WeCom's (which
 * takes /cgi-bin/media/upload over for corps' tokens and leaves WeChat's answer for every other), then the sandbox's
 * own buttons: pushes ({@link PushControl}), the users' world ({@link WorldControl}) and WeCom's customers
 * ({@link WeComControl}).
 */
final class SandboxRoutes {

    private SandboxRoutes() {
    }

    /** @param pushTarget where the push buttons push: the relay {@link WeChatSandbox#pushTo} named last, or null */
    static Map<String, Function<ApiRequest, ApiReply>> of(WeChatSandbox sandbox, WeChatApi api, SandboxWeCom wecom,
            SandboxTemplates templates, Supplier<Pushes> pushTarget) {
        Map<String, Function<ApiRequest, ApiReply>> routes = new LinkedHashMap<>();
        api.register(routes);
        WeComApi.register(routes, wecom, api.issuer());
        PushControl.register(routes, pushTarget, templates);
        WorldControl.register(routes, sandbox);
        WeComControl.register(routes, wecom);
        return routes;
    }
}
