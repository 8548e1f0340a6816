package dev.kefurelay.receive;

import java.util.List;

import dev.kefurelay.testkit.ComponentRelay;

/**
 * The platform of the push tests in mode component: the platform with its ticket and two authorizers, and the push
 * token and AES key with which the sandbox encrypts and signs its pushes to the relay ({@link ComponentRelay}).
 */
final class PushPlatform {

    static final String COMPONENT = "wxcomponentpush01";
    static final String COMPONENT_SECRET = "component-secret-push-1";
    static final String TICKET = "ticket@@@initial-push-ticket";
    static final String PUSH_TOKEN = "push-token-value-1";
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    static final List<String> AUTHORIZERS = List.of("wxpushauthorizer01", "wxpushauthorizer02");

    private PushPlatform() {
    }

    /** A relay in mode component with its push server (safe mode), the sandbox pushing to it, for one test. */
    static ComponentRelay relay() {
        return new ComponentRelay(new ComponentRelay.Platform(COMPONENT, COMPONENT_SECRET, TICKET, AUTHORIZERS,
                appid -> "seed-" + appid)).withPush(PUSH_TOKEN, AES_KEY);
    }
}
