package dev.kefurelay.broker;

import dev.kefurelay.component.KefuHeaders;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code direct:kefu-jms-dead-letter}: a JMS message that failed goes to the dead-letter queue with its
 * original body and properties plus KefuReason, KefuErrcode, KefuErrmsg and KefuFailedAt. It runs on the
 * consumer's thread, inside its transaction: the DLQ copy and the removal from the queue commit together.
 * The body is then the outcome again, so a JMSReplyTo still gets the outcome as its reply.
 */
public final class DeadLetterRoutes extends RouteBuilder {

    public static final String DEAD_LETTER = "direct:kefu-jms-dead-letter";
    private static final String OUTCOME_JSON = "KefuOutcomeJson";

    @Override
    public void configure() {
        from(DEAD_LETTER).routeId("kefu-jms-dead-letter")
            .setProperty(OUTCOME_JSON, body())
            .setBody(exchangeProperty(KefuHeaders.INPUT))
            .to(ExchangePattern.InOnly, "jms:queue:{{kefu.jms.dlq}}?disableReplyTo=true")
            .setBody(exchangeProperty(OUTCOME_JSON));
    }
}
