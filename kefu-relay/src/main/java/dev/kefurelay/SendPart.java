package dev.kefurelay;

import java.util.List;

import javax.sql.DataSource;

import dev.kefurelay.broker.DeadLetterRoutes;
import dev.kefurelay.component.WeChatKefuComponent;
import dev.kefurelay.config.ComponentOptions;
import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.ops.RelayMetrics;
import dev.kefurelay.send.ComponentRoutes;
import dev.kefurelay.send.SendRoutes;
import dev.kefurelay.send.TypingRoutes;
import dev.kefurelay.token.TokenMode;
import org.apache.camel.main.BaseMainSupport;

/**
 * The sending itself: the wechat-kefu component configured from the kefu.* settings, calling {@code apis} (the
 * sandbox's, or WeChat's and WeCom's), and the core routes every input sends through.
 */
final class SendPart implements RelayPart {

    private final KefuSettings settings;
    private final ComponentOptions.Apis apis;
    private final DataSource storePool;
    private final RelayMetrics metrics;
    private WeChatKefuComponent wechat;

    /** @param storePool the shared store's pool, or null for the local store */
    SendPart(KefuSettings settings, ComponentOptions.Apis apis, DataSource storePool, RelayMetrics metrics) {
        this.settings = settings;
        this.apis = apis;
        this.storePool = storePool;
        this.metrics = metrics;
    }

    @Override
    public void start(BaseMainSupport main) {
        wechat = ComponentOptions.component(settings, apis, metrics, storePool, metrics);
        main.getCamelContext().getRegistry().bind(RelayAssembly.WECHAT_KEFU, wechat);
        main.configure().addRoutesBuilder(new SendRoutes());
        main.configure().addRoutesBuilder(new TypingRoutes());
        main.configure().addRoutesBuilder(new DeadLetterRoutes());
        if (settings.tokenMode() == TokenMode.COMPONENT) {
            main.configure().addRoutesBuilder(new ComponentRoutes(wechat));
        }
    }

    WeChatKefuComponent component() {
        return wechat;
    }

    /** The WeChat API the component calls. */
    List<String> baseUrls() {
        return apis.wechat();
    }
}
