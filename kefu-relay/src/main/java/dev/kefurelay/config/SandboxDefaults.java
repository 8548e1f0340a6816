package dev.kefurelay.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import dev.kefurelay.sandbox.SandboxWeCom;

/**
 * What {@code kefu.sandbox=true} fills in for what is not given: the sandbox's demo account (or, in mode component,
 * its demo platform with one authorizer), push keys, and WeCom corp with its callback keys, so a relay starts against
 * the sandbox with no credentials at all. The relay registers the credentials it runs with in the sandbox it starts;
 * the corp is the test kit's demo corp, which gets its demo kf account there too.
 */
public final class SandboxDefaults {

    /** The demo official account. */
    public static final String APPID = "wxsandbox000000001";
    public static final String SECRET = "sandbox-secret";
    /** The demo third-party platform and its one authorizer (kefu.token.mode=component). */
    public static final String COMPONENT_APPID = "wxsandboxcomponent1";
    public static final String COMPONENT_SECRET = "sandbox-component-secret";
    public static final String TICKET = "sandbox-verify-ticket";
    public static final String AUTHORIZER_APPID = "wxsandboxauthorizer1";
    public static final String REFRESH_TOKEN = "sandbox-refresh-token";
    /** The demo push Token and EncodingAESKey. */
    public static final String PUSH_TOKEN = "sandbox-push-token";
    public static final String PUSH_AES_KEY = "sandboxPushAesKey0123456789abcdefghijklmnop";
    /**
     * The demo WeCom corp (the test kit's, with its kf account {@link SandboxWeCom#DEMO_OPEN_KFID}) and its callback
     * Token and EncodingAESKey.
     */
    public static final String CORPID = SandboxWeCom.DEMO_CORPID;
    public static final String CORP_SECRET = SandboxWeCom.DEMO_CORP_SECRET;
    public static final String WECOM_PUSH_TOKEN = "sandbox-wecom-push-token";
    public static final String WECOM_PUSH_AES_KEY = "sandboxWeComAesKey0123456789abcdefghijklmno";

    private SandboxDefaults() {
    }

    /**
     * Fills the demo values into what is not given, before the checks, so they are checked like given ones.
     *
     * @param pushPortGiven whether the operator named kefu.push.port (an explicit 0 keeps the push endpoints closed)
     */
    static void fill(GivenKeys keys, boolean pushPortGiven) {
        Map<String, String> values = keys.values();
        if ("component".equals(keys.value(Key.TOKEN_MODE))) {
            component(values, keys.refreshTokens());
        } else if (keys.value(Key.APPID).isEmpty() && keys.value(Key.SECRET).isEmpty()) {
            values.put(Key.APPID.key(), APPID);
            values.put(Key.SECRET.key(), SECRET);
        }
        if (keys.value(Key.PUSH_TOKEN).isEmpty()) {
            values.put(Key.PUSH_TOKEN.key(), PUSH_TOKEN);
            values.put(Key.PUSH_AES_KEY.key(), PUSH_AES_KEY);
        }
        wecom(keys, pushPortGiven);
    }

    /** Demo values for what is not given; messages then name appid wxsandboxauthorizer1. */
    private static void component(Map<String, String> values, Map<String, String> refreshTokens) {
        if (values.get(Key.COMPONENT_APPID.key()).isEmpty() && values.get(Key.COMPONENT_SECRET.key()).isEmpty()) {
            values.put(Key.COMPONENT_APPID.key(), COMPONENT_APPID);
            values.put(Key.COMPONENT_SECRET.key(), COMPONENT_SECRET);
        }
        if (values.get(Key.COMPONENT_TICKET.key()).isEmpty()) {
            values.put(Key.COMPONENT_TICKET.key(), TICKET);
        }
        if (refreshTokens.isEmpty()) {
            refreshTokens.put(AUTHORIZER_APPID, REFRESH_TOKEN);
        }
    }

    /**
     * The demo corp when no corp is given, receiving the sandbox's callbacks: they need the push endpoints, so a
     * relay told no kefu.push.port opens them on a free loopback port (an explicit 0 keeps them closed).
     */
    private static void wecom(GivenKeys keys, boolean pushPortGiven) {
        Map<String, String> values = keys.values();
        if (!pushPortGiven) {
            values.put(Key.PUSH_PORT.key(), String.valueOf(freePort(keys.value(Key.PUSH_BIND))));
        }
        if (keys.value(Key.WECOM_CORPID).isEmpty() && keys.value(Key.WECOM_SECRET).isEmpty() && keys.corps().none()) {
            values.put(Key.WECOM_CORPID.key(), CORPID);
            values.put(Key.WECOM_SECRET.key(), CORP_SECRET);
            if (keys.value(Key.WECOM_PUSH_TOKEN).isEmpty() && !"0".equals(keys.value(Key.PUSH_PORT))) {
                values.put(Key.WECOM_PUSH_TOKEN.key(), WECOM_PUSH_TOKEN);
                values.put(Key.WECOM_PUSH_AES_KEY.key(), WECOM_PUSH_AES_KEY);
            }
        }
    }

    /** A port free now on this address, for the sandbox's push endpoints; taken by them a moment later. */
    private static int freePort(String bind) {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(bind))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new ConfigException(Key.PUSH_BIND.key() + "=" + bind + ": no free port to open the sandbox's push "
                    + "endpoints on (" + e.getMessage() + "); set " + Key.PUSH_PORT.key());
        }
    }
}
