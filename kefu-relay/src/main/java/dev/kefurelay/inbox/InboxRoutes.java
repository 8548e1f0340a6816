package dev.kefurelay.inbox;

import java.util.concurrent.ExecutorService;

import dev.kefurelay.send.SendRoutes;
import dev.kefurelay.store.StoreUnavailableException;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.ThreadPoolBuilder;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * {@code direct:kefu-inbox-file}: one dropped file, taken by the YAML edge route, becomes messages sent in
 * parallel through kefu-send, each outcome recorded in the file's journal as it ends; then the file is filed under
 * .done/ or .error/, or left in the inbox to go on from its journal (see {@link InboxSteps}).
 */
public final class InboxRoutes extends RouteBuilder {

    public static final String FILE = "direct:kefu-inbox-file";

    private final InboxSteps steps;
    private final ExecutorService senders;

    public InboxRoutes(InboxSteps steps, ExecutorService senders) {
        this.steps = steps;
        this.senders = senders;
    }

    /**
     * The threads that send a file's messages: {@code concurrency} of them, and as many parts waiting. When the queue
     * is full the thread handing out parts sends one itself (caller runs) instead of queueing more: the file is read
     * no faster than it is sent, and nothing is dropped. An unbounded queue held every line of a 100,000-line file.
     */
    public static ExecutorService senders(CamelContext camel, Object owner, int concurrency) {
        try {
            return new ThreadPoolBuilder(camel).poolSize(concurrency).maxPoolSize(concurrency).maxQueueSize(concurrency)
                    .rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns).build(owner, "kefu-inbox-send");
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the inbox's sender threads", e);
        }
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
            // streaming: parts are made as the lines are read and their results not kept in order; with the
            // senders' bounded queue this holds a file's memory to the messages in flight, however long it is
            .split(body()).streaming().parallelProcessing().executorService(senders)
                .process(steps::part)
                .doTry()
                    .to(SendRoutes.SEND)
                    .process(steps::record)
                // no outcome (the store away as the relay stops): not recorded, sent at the file's next take
                .doCatch(StoreUnavailableException.class)
                    .process(steps::unsent)
                .end()
            .end()
            .process(steps::finish);
    }
}
