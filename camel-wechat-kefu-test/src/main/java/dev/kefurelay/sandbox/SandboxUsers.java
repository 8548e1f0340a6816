package dev.kefurelay.sandbox;

import dev.kefurelay.window.Interaction;
import java.util.Optional;

/**
 * What the sandbox's users do, without a push: write to an account, click its menu, follow, scan, unfollow, consent to
 * subscribe messages; and the windows that leaves them. {@link Pushes} does the same and pushes it too.
 */
public final class SandboxUsers {

    private final Windows windows;
    private final Templates templates;

    SandboxUsers(Windows windows, Templates templates) {
        this.windows = windows;
        this.templates = templates;
    }

    /** The user sent the account a message: 5 customer-service messages within 48 hours. */
    public void wrote(String appid, String openid) {
        interacted(appid, openid, Interaction.MESSAGE);
    }

    /** The user clicked the account's menu: 3 within 1 minute. */
    public void clicked(String appid, String openid) {
        interacted(appid, openid, Interaction.MENU_CLICK);
    }

    /** The user followed the account (again): 3 within 1 minute, and template messages reach them again. */
    public void followed(String appid, String openid) {
        interacted(appid, openid, Interaction.FOLLOW);
    }

    /** The user scanned the account's QR code: 3 within 1 minute. */
    public void scanned(String appid, String openid) {
        interacted(appid, openid, Interaction.SCAN);
    }

    /** Any interaction of WeChat's table: the user's window opens as it says, replacing the one before. */
    public void interacted(String appid, String openid, Interaction interaction) {
        windows.opened(appid, openid, interaction);
    }

    /** The user unfollowed: the window closes (custom/send: 45015 when enforcing) and template/send answers 43004. */
    public void unfollowed(String appid, String openid) {
        windows.unfollowed(appid, openid);
    }

    /** What a pushed event does ({@link Pushes#userEvent}): its row of the table, or unfollowing. */
    void event(String appid, String openid, String event) {
        if ("unsubscribe".equals(event)) {
            unfollowed(appid, openid);
        } else {
            Interaction.ofEvent(event).ifPresent(i -> interacted(appid, openid, i));
        }
    }

    /** The user's window with the account while it is open: what opened it, when, how many messages it took. */
    public Optional<UserWindow> window(String appid, String openid) {
        return windows.window(appid, openid);
    }

    /** The user accepts one subscribe message of this template (one tap in WeChat's dialog); bizsend uses it up. */
    public void consent(String appid, String openid, String templateId) {
        consent(appid, openid, templateId, 1);
    }

    public void consent(String appid, String openid, String templateId, int times) {
        templates.consent(appid, openid, templateId, times);
    }

    public int consentsLeft(String appid, String openid, String templateId) {
        return templates.consentsLeft(appid, openid, templateId);
    }
}
