package dev.kefurelay;

import javax.sql.DataSource;

import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.config.SettingGroups;
import dev.kefurelay.receive.WeComCallbackRoutes;
import dev.kefurelay.sandbox.SandboxWeCom;
import dev.kefurelay.sandbox.WeChatSandbox;
import dev.kefurelay.wecom.KfPuller;
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

    private static void goOnFrom(SandboxWeCom side, String cursor) {
        try {
            side.goOnFrom(SandboxWeCom.DEMO_OPEN_KFID, cursor);
        } catch (IllegalArgumentException e) {
            // not one the sandbox hands out: the pulls would be refused it (40058) until the store forgets it
            LOG.warn("sandbox WeCom: the store's cursor of kf account {} is none of the sandbox's; its pulls will be "
                    + "refused: remove the store folder ({})", SandboxWeCom.DEMO_OPEN_KFID, e.getMessage());
        }
    }

    /** @param storePool the shared store's pool, or null for the local store */
    static void register(WeChatSandbox sandbox, KefuSettings settings, DataSource storePool) {
        SettingGroups.WeCom wecom = settings.wecom();
        SandboxWeCom side = sandbox.wecom();
        // as WeCom does: a media_id must have been uploaded by the corp (see SandboxPart for WeChat's)
        side.requireUploadedMedia(true);
        wecom.corps().forEach((corpid, secret) -> side.corp(corpid, secret.value()));
        if (wecom.corps().containsKey(SandboxWeCom.DEMO_CORPID)) {
            side.kfAccount(SandboxWeCom.DEMO_CORPID, SandboxWeCom.DEMO_OPEN_KFID);
            // the store keeps the cursor an earlier run's sandbox handed out; this one starts empty: it goes on there,
            // so that what customers write now is not taken for what the relay read before
            ComponentSandbox.withStore(settings, storePool, store -> KfPuller.storedCursor(store,
                    SandboxWeCom.DEMO_OPEN_KFID).ifPresent(cursor -> goOnFrom(side, cursor)));
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
