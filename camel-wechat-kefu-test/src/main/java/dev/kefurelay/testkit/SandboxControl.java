package dev.kefurelay.testkit;

import java.time.Duration;
import java.util.List;

import dev.kefurelay.sandbox.WeChatSandbox;

/**
 * What a route test asks of the fake WeChat while it runs: what WeChat took since the test started (the sandbox is
 * reset before each test), and faults for the calls to come. The rarer controls (HTTP failures, token lifetimes,
 * more accounts, pushes) are on {@link #sandbox()}.
 */
public interface SandboxControl {

    /** The running sandbox; fails when it is not running (outside a test of the extension's class). */
    WeChatSandbox sandbox();

    /** The messages WeChat accepted, in arrival order. */
    default List<WeChatSandbox.Delivered> delivered() {
        return sandbox().delivered();
    }

    /** The typing commands WeChat accepted, each as {@code touser:command}. */
    default List<String> typing() {
        return sandbox().typing();
    }

    /** Token requests made for this appid, refused ones included. */
    default int tokenFetches(String appid) {
        return sandbox().tokenFetches(appid);
    }

    /** Every token issued so far becomes invalid (errcode 40001): the sender must fetch a new one. */
    default void revokeTokens() {
        sandbox().revokeTokens();
    }

    /** The next custom/send answers this errcode (e.g. 43004 not subscribed, -1 busy, 45009 daily quota). */
    default void failNext(int errcode) {
        failNext(errcode, 1);
    }

    /** The next {@code times} custom/send calls answer this errcode. */
    default void failNext(int errcode, int times) {
        sandbox().failNext(errcode, times);
    }

    /** Every answer comes this late (after the call took effect); {@code Duration.ZERO} lifts it. */
    default void latency(Duration latency) {
        sandbox().latency(latency);
    }
}
