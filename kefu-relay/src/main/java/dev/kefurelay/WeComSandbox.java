package dev.kefurelay;

import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.config.SettingGroups;
import dev.kefurelay.receive.WeComCallbackRoutes;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeCom's side of the sandbox (kefu.sandbox=true): the relay's corps with their secrets, the demo corp's kf account,
 * and each corp that receives calling back the relay's push endpoints with its own keys, as WeCom calls the URL each
 * corp entered. Then a customer writing (the sandbox's {@code /sandbox/wecom/customer/write}) ends on kefu.inbound.
 */
final class WeComSandbox {

    private static final Logger LOG = LoggerFactory.getLogger(WeComSandbox.class);

    private WeComSandbox() {
    }

    static void register(WeChatSandbox sandbox, KefuSettings settings) {
        SettingGroups.WeCom wecom = settings.wecom();
        SandboxWeCom side = sandbox.wecom();
        // as WeCom does: a media_id must have been uploaded by the corp (see SandboxPart for WeChat's)
        side.requireUploadedMedia(true);
        wecom.corps().forEach((corpid, secret) -> side.corp(corpid, secret.value()));
        if (wecom.corps().containsKey(SandboxWeCom.DEMO_CORPID)) {
            side.kfAccount(SandboxWeCom.DEMO_CORPID, SandboxWeCom.DEMO_OPEN_KFID);
        }
        if (settings.push().on()) {
            String root = ComponentSandbox.pushRoot(settings);
            // the default corp at the contract's /wecom/kf, the others at their own paths
            wecom.callbacks().forEach((corpid, keys) -> side.pushTo(root + (corpid.equals(wecom.corpid())
                    ? WeComCallbackRoutes.PATH : WeComCallbackRoutes.path(corpid)), corpid, keys.token().value(),
                    keys.aesKey().value()));
        }
        if (wecom.corps().containsKey(SandboxWeCom.DEMO_CORPID)) {
            LOG.info("sandbox WeCom: demo corp {} with kf account {}{}; a customer writes: curl '{}/sandbox/wecom/"
                    + "customer/write?open_kfid={}&external_userid=wmDemoCustomer01&text=hello'",
                    SandboxWeCom.DEMO_CORPID, SandboxWeCom.DEMO_OPEN_KFID, wecom.receives() && settings.push().on()
                    ? ", calling back the relay" : "", sandbox.baseUrl(), SandboxWeCom.DEMO_OPEN_KFID);
        } else if (wecom.on()) {
            LOG.info("sandbox WeCom: corps {}, without kf accounts (add them with the sandbox's wecom().kfAccount)",
                    wecom.corps().keySet());
        }
    }
}
