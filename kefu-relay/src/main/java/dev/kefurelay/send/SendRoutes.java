package dev.kefurelay.send;

import dev.kefurelay.broker.DeadLetterRoutes;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code direct:kefu-send}: every edge (files, JMS, other routes) sends through it. The component does the work
 * (read and check, duplicates, quota, token, retries, outcome); this route keeps the relay's contract: the
 * outcome as body and Kefu* headers, never an exception, and the original body and JMS message kept for dead
 * letters.
 */
public final class SendRoutes extends RouteBuilder {

    public static final String SEND = "direct:kefu-send";
    /**
     * synchronous: the edges go on after the outcome on their own thread (a transacted JMS consumer's dead-letter
     * copy joins its session, which is bound to that thread).
     */
    static final String COMPONENT_SEND = "wechat-kefu:send?failure=outcome&synchronous=true";

    @Override
    public void configure() {
        from(SEND).routeId("kefu-send")
            // kept as handed over (text or bytes, and the JMS message), so a dead letter is the original
            .process(DeadLetterRoutes::keepInput)
            .to(COMPONENT_SEND);
    }
}
