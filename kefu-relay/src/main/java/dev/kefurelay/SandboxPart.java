package dev.kefurelay;

import java.util.List;

import javax.sql.DataSource;

import dev.kefurelay.config.ComponentOptions;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.token.TokenMode;
import org.apache.camel.main.BaseMainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox WeChat, when kefu.sandbox=true: started with the relay's accounts (and, in mode component, what the
 * store holds of the platform) and its WeCom corps, it hands back the base URL the component then calls instead of
 * WeChat's and WeCom's.
 */
final class SandboxPart implements RelayPart {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxPart.class);

    private final KefuSettings settings;
    private final DataSource storePool;
    private final StartSteps steps;
    private WeChatSandbox sandbox;

    /** @param storePool the shared store's pool, or null for the local store */
    SandboxPart(KefuSettings settings, DataSource storePool, StartSteps steps) {
        this.settings = settings;
        this.storePool = storePool;
        this.steps = steps;
    }

    @Override
    public void start(BaseMainSupport main) {
        if (!settings.sandbox()) {
            return;
        }
        sandbox = WeChatSandbox.start(settings.sandboxSettings().port());
        // as WeChat does: a media_id must have been uploaded by the sending account (tests of the sandbox itself
        // send made-up ids; a relay run with it shows what a real one would answer)
        sandbox.requireUploadedMedia(true);
        sandbox.enforceWindow(settings.sandboxSettings().enforceWindow());
        settings.accountSecrets().forEach(sandbox::account);
        settings.accountKinds().forEach(sandbox::kind);
        if (settings.tokenMode() == TokenMode.COMPONENT) {
            ComponentSandbox.register(sandbox, settings, storePool);
        }
        ComponentSandbox.pushTo(sandbox, settings);
        WeComSandbox.register(sandbox, settings, storePool);
        LOG.info("sandbox WeChat API at {} (demo {})", sandbox.baseUrl(), settings.tokenMode() == TokenMode.COMPONENT
                ? "platform " + settings.accounts().componentAppid() : "account " + settings.defaultAppid());
        steps.done("sandbox");
    }

    /** The APIs the component calls: the sandbox's while it runs, else kefu.wechat.base-url and kefu.wecom.base-url. */
    ComponentOptions.Apis apis() {
        return sandbox != null ? new ComponentOptions.Apis(List.of(sandbox.baseUrl()), sandbox.baseUrl())
                : ComponentOptions.Apis.of(settings);
    }

    @Override
    public void close() {
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
