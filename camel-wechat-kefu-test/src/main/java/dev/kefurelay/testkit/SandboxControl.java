package dev.kefurelay.testkit;

import java.time.Duration;
import java.util.List;

import dev.kefurelay.sandbox.Delivery;
import dev.kefurelay.sandbox.KfDelivery;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;

/**
 * What a route test asks of the fake WeChat while it runs: what WeChat took since the test started (the sandbox is
 * reset before each test), faults for the calls to come, and the customer-service window and fallback channels: what
 * users did, the account's templates, the time. The rarer controls (HTTP failures, token lifetimes, more accounts,
 * pushes, follows and scans) are on {@link #sandbox()}.
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

    // ---- the customer-service window and the fallback channels ---------------------------------------------

    /** What reached users by every channel (custom, template, subscribe), in arrival order. */
    default List<Delivery> deliveries() {
        return sandbox().deliveries();
    }

    /** What reached this user by every channel, in arrival order: e.g. five custom messages, then a template. */
    default List<Delivery> deliveriesTo(String appid, String openid) {
        return sandbox().deliveriesTo(appid, openid);
    }

    /**
     * custom/send refuses users outside their window as WeChat does: 45015 for a user who never wrote (or whose
     * window has closed), 45047 once the window's messages are used up. For this test only.
     */
    default void enforceWindow(boolean on) {
        sandbox().enforceWindow(on);
    }

    /** The user wrote to the account: 5 customer-service messages within 48 hours. */
    default void userWrote(String appid, String openid) {
        sandbox().users().wrote(appid, openid);
    }

    /** The user clicked the account's menu: 3 customer-service messages within 1 minute. */
    default void userClicked(String appid, String openid) {
        sandbox().users().clicked(appid, openid);
    }

    /** The user unfollowed: custom/send answers 45015 (when enforcing), template/send 43004. */
    default void userUnfollowed(String appid, String openid) {
        sandbox().users().unfollowed(appid, openid);
    }

    /** Moves the fake WeChat's time forward: windows close and tokens expire (the component fetches a new one). */
    default void advance(Duration duration) {
        sandbox().advance(duration);
    }

    /** The account has this template for template/send; its {@code data} must have these keys. */
    default void addTemplate(String appid, String templateId, String... keys) {
        sandbox().templates().template(appid, templateId, keys);
    }

    /** The account has this template for subscribe/bizsend, with these keys. */
    default void addSubscribeTemplate(String appid, String templateId, String... keys) {
        sandbox().templates().subscribeTemplate(appid, templateId, keys);
    }

    /** The user accepts one subscribe message of this template (else bizsend answers 43101). */
    default void consent(String appid, String openid, String templateId) {
        sandbox().users().consent(appid, openid, templateId);
    }

    // ---- WeCom 微信客服 -------------------------------------------------------------------------------------

    /** The fake WeCom: corps, kf accounts, customers, sessions, faults and callbacks. */
    default SandboxWeCom wecom() {
        return sandbox().wecom();
    }

    /**
     * A customer writes to a kf account: the session starts (state 0) and send_msg may answer with 5 messages within
     * 48 hours. Returns the message's msgid, as kf/sync_msg lists it.
     */
    default String customerWrites(String openKfid, String externalUserid, String text) {
        return wecom().customerWrites(openKfid, externalUserid, text);
    }

    /**
     * The session moves to this state, as an agent or admin would move it: 0 unhandled and 1 the bot take messages,
     * in 2 (queued), 3 (a human agent) and 4 (ended) send_msg answers 95018.
     */
    default void sessionState(String openKfid, String externalUserid, int state) {
        wecom().sessionState(openKfid, externalUserid, state);
    }

    /** What WeCom accepted for customers (send_msg and send_msg_on_event), in arrival order. */
    default List<KfDelivery> wecomSent() {
        return wecom().sent();
    }
}
