package dev.kefurelay;

import java.util.UUID;

import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.config.SettingGroups;
import dev.kefurelay.receive.PushEndpoints;
import dev.kefurelay.receive.WeComCallbackRoutes;
import dev.kefurelay.receive.WeComReceiving;
import dev.kefurelay.wecom.KfPuller;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;

/**
 * WeCom 微信客服's callbacks, when a corp has a callback Token (kefu.wecom.push-token,
 * kefu.wecom.corps.&lt;corpid&gt;.push-token): the routes of {@code /wecom/kf} and {@code /wecom/kf/<corpid>} on the
 * push port, and once the component runs, the pulls of kf accounts' messages onto kefu.inbound (kefu.push.queue).
 */
final class WeComPart implements RelayPart {

    private final KefuSettings settings;
    private final SendPart send;
    private final WeComReceiving receiving = new WeComReceiving();

    WeComPart(KefuSettings settings, SendPart send) {
        this.settings = settings;
        this.send = send;
    }

    @Override
    public void start(BaseMainSupport main) {
        SettingGroups.WeCom wecom = settings.wecom();
        if (wecom.receives()) {
            main.configure().addRoutesBuilder(new WeComCallbackRoutes(PushEndpoints.wecomCorps(settings), receiving));
        }
    }

    @Override
    public void running(CamelContext camel) {
        SettingGroups.WeCom wecom = settings.wecom();
        if (!wecom.receives()) {
            return;
        }
        // one owner per process: a restarted relay is another owner, which waits for the old lease to run out
        KfPuller puller = send.component().wecomPuller("relay-" + UUID.randomUUID(), wecom.pullLease())
                .orElseThrow(() -> new IllegalStateException("the component has no WeCom corp"));
        receiving.start(puller, new dev.kefurelay.receive.WeComInbound(camel, settings.push().queue(),
                wecom.welcomeText()), wecom.pullLease());
    }

    @Override
    public void close() {
        receiving.close();
    }
}
