package dev.kefurelay.token;

/** Where tokens come from: one HTTP call to WeChat per invocation. */
public interface TokenSource {

    /**
     * @param forceRefresh ask WeChat for a new token even if the current one is still valid (stable_token's
     *                     {@code force_refresh}); sources without such a switch ignore it
     * @throws dev.kefurelay.wechat.SendFailedException when WeChat refuses, with its errcode and errmsg
     */
    AccessToken fetch(String appid, boolean forceRefresh);

    /** Whether tokens can be had for this appid now: a configured account, a known authorizer. */
    boolean knows(String appid);

    /** What a sender naming an appid this source does not know is told: the appid, and how to configure it. */
    String notConfigured(String appid);

    /**
     * Refuses a known appid that must not send now (an authorizer that withdrew its authorization), before any
     * fetch: it is the account's state, not a failing token request for health checks to report and retry.
     *
     * @throws dev.kefurelay.wechat.SendFailedException saying why
     */
    default void requireUsable(String appid) {
    }
}
