package dev.kefurelay;

import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.receive.PushRoutes;
import org.apache.camel.main.BaseMainSupport;

/** WeChat's pushes, when kefu.push.port is set: the routes of the push endpoints (Camel's HTTP server serves them). */
final class PushPart implements RelayPart {

    private final KefuSettings settings;

    PushPart(KefuSettings settings) {
        this.settings = settings;
    }

    @Override
    public void start(BaseMainSupport main) {
        PushRoutes.forSettings(settings).ifPresent(main.configure()::addRoutesBuilder);
    }
}
