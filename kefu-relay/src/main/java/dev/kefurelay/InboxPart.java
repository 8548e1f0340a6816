package dev.kefurelay;

import java.util.concurrent.ExecutorService;

import dev.kefurelay.config.KefuSettings;
import dev.kefurelay.inbox.InboxGate;
import dev.kefurelay.inbox.InboxRoutes;
import dev.kefurelay.inbox.InboxSteps;
import org.apache.camel.main.BaseMainSupport;

/** The inbox: its gate (closed while outcomes cannot be written) and the routes that send a file's messages. */
final class InboxPart implements RelayPart {

    /** How often a closed inbox tries whether it can write outcomes again. */
    private static final long INBOX_RETRY_MS = 2_000;

    private final KefuSettings settings;
    private InboxGate gate;

    InboxPart(KefuSettings settings) {
        this.settings = settings;
    }

    @Override
    public void start(BaseMainSupport main) {
        // the inbox endpoint's filter (routes/inbox.camel.yaml): closed while outcomes cannot be written
        gate = new InboxGate(settings.inbox().dir(), INBOX_RETRY_MS);
        main.getCamelContext().getRegistry().bind("kefuInboxGate", gate);
        ExecutorService senders = InboxRoutes.senders(main.getCamelContext(), this, settings.jms().concurrency());
        main.configure().addRoutesBuilder(new InboxRoutes(new InboxSteps(settings.inbox().dir(),
                settings.inbox().maxSize(), gate), senders));
    }

    InboxGate gate() {
        return gate;
    }
}
