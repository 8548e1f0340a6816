package dev.kefurelay.inbox;

import java.util.concurrent.ExecutorService;

import dev.kefurelay.send.SendRoutes;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code direct:kefu-inbox-file}: one dropped file, read by the YAML edge route, becomes messages sent in
 * parallel through kefu-send; the header {@link InboxSteps#FOLDER} then tells the file endpoint where the
 * file goes.
 */
public final class InboxRoutes extends RouteBuilder {

    public static final String FILE = "direct:kefu-inbox-file";

    private final InboxSteps steps;
    private final ExecutorService senders;

    public InboxRoutes(InboxSteps steps, ExecutorService senders) {
        this.steps = steps;
        this.senders = senders;
    }

    @Override
    public void configure() {
        from(FILE).routeId("kefu-inbox-file")
            .onException(Exception.class)
                .handled(true)
                .logExhausted(false)
                .process(steps::refuse)
            .end()
            .process(steps::open)
            .split(body()).parallelProcessing().executorService(senders)
                .to(SendRoutes.SEND)
                .process(exchange -> exchange.getProperty(FailedMessages.PROPERTY, FailedMessages.class)
                        .record(exchange))
            .end()
            .process(steps::finish);
    }
}
