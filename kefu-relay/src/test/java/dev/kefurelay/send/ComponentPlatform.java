package dev.kefurelay.send;

import java.util.List;

import dev.kefurelay.Samples;
import dev.kefurelay.testkit.ComponentRelay;

/**
 * The platform of the kefu.token.mode=component tests: the platform with its ticket and three authorizers, which
 * {@link ComponentRelay} gives the sandbox and the relay.
 */
final class ComponentPlatform {

    static final String COMPONENT = "wxcomponenttest001";
    static final String COMPONENT_SECRET = "component-secret-value-1";
    static final String TICKET = "ticket@@@initial-ticket-value";
    static final List<String> AUTHORIZERS = List.of("wxauthorizer000001", "wxauthorizer000002", "wxauthorizer000003");

    private ComponentPlatform() {
    }

    /** A relay in mode component on a sandbox as this platform's WeChat, for one test. */
    static ComponentRelay relay() {
        return new ComponentRelay(new ComponentRelay.Platform(COMPONENT, COMPONENT_SECRET, TICKET, AUTHORIZERS,
                ComponentPlatform::seed));
    }

    static String seed(String appid) {
        return "seed-refresh-token-of-" + appid;
    }

    /** A text message sent from the authorizer {@code appid}. */
    static String from(String appid, String text) {
        return "{\"appid\":\"" + appid + "\"," + Samples.text(text).substring(1);
    }
}
