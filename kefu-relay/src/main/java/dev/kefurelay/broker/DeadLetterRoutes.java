package dev.kefurelay.broker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kefurelay.component.KefuHeaders;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsMessage;

/**
 * {@code direct:kefu-jms-dead-letter}: a JMS message that failed goes to the dead-letter queue as it came (the same
 * JMS type, body and properties, its correlation id and type) plus KefuReason, KefuErrcode, KefuErrmsg,
 * KefuFailedAt and KefuChannel (when a channel was reached), and nothing else: what the relay's routes did to the exchange is not the sender's. It is the
 * received message itself, sent again on the consumer's session, inside its transaction: the DLQ copy and the
 * removal from the queue commit together. Copying it that way needs no reading of the body (an ObjectMessage is never
 * deserialized, a StreamMessage never converted) and takes any property name as it is, so dead-lettering cannot
 * fail for what the message holds. The exchange's body and headers stay the outcome's, so a JMSReplyTo still gets
 * the outcome as its reply.
 */
public final class DeadLetterRoutes extends RouteBuilder {

    public static final String DEAD_LETTER = "direct:kefu-jms-dead-letter";
    /** Exchange property: the body as the caller handed it (text or bytes), for dead letters and failure records. */
    public static final String INPUT = "KefuInput";
    /** Exchange property: the JMS message the exchange was consumed from, which becomes its dead letter. */
    static final String INPUT_JMS = "KefuInputJms";
    /** Exchange property: the consumer's session that received {@link #INPUT_JMS}, whose transaction it joins. */
    static final String INPUT_SESSION = "KefuInputSession";
    /** Set on the dead letter; an earlier failure's values (a replayed dead letter) are replaced. */
    static final List<String> FAILURE = List.of(KefuHeaders.REASON, KefuHeaders.ERRCODE, KefuHeaders.ERRMSG,
            KefuHeaders.FAILED_AT, KefuHeaders.CHANNEL);
    /**
     * Artemis' duplicate-detection id: not carried over, or a second dead letter of one message (replayed, failed
     * again) would be dropped by the broker as a duplicate on the DLQ.
     */
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    @Override
    public void configure() {
        String dlq = getContext().resolvePropertyPlaceholders("{{kefu.jms.dlq}}");
        from(DEAD_LETTER).routeId("kefu-jms-dead-letter")
            .process(exchange -> deadLetter(exchange, dlq));
    }

    /**
     * Keeps what the caller handed over, for a dead letter: the body as it was (text or bytes, or what the relay could
     * not read) and, from a JMS consumer, the JMS message itself and the session it came on. Held as they came: Camel
     * may replace the exchange's message on the way, and the routes add headers of their own. Called first by every
     * route a JMS edge sends to.
     */
    public static void keepInput(Exchange exchange) {
        exchange.setProperty(INPUT, exchange.getMessage().getBody());
        // instanceof, not getMessage(JmsMessage.class): for any other message (every inbox line) that asks Camel's
        // type converters for a conversion that does not exist, 10% of the relay's CPU samples in the benchmark
        if (exchange.getMessage() instanceof JmsMessage jms && jms.getJmsMessage() != null) {
            exchange.setProperty(INPUT_JMS, jms.getJmsMessage());
            exchange.setProperty(INPUT_SESSION, jms.getJmsSession());
        }
    }

    private static void deadLetter(Exchange exchange, String dlq) throws JMSException {
        Message original = exchange.getProperty(INPUT_JMS, Message.class);
        Session session = exchange.getProperty(INPUT_SESSION, Session.class);
        if (original == null || session == null) {
            throw new IllegalStateException(DEAD_LETTER + " is for exchanges consumed from JMS (property "
                    + INPUT_JMS + " is not set)");
        }
        Map<String, Object> failure = failure(exchange.getMessage().getHeaders());
        // the sender's reply queue is the reply's, not the dead letter's
        original.setJMSReplyTo(null);
        if (original instanceof ActiveMQMessage artemis) {
            // on the message as received, whose properties JMS keeps read-only; any name the sender used stays
            ClientMessage core = artemis.getCoreMessage();
            core.removeProperty(DUPLICATE_ID);
            failure.forEach((name, value) -> {
                if (value == null) {
                    core.removeProperty(name);
                } else {
                    core.putObjectProperty(name, value);
                }
            });
        } else {
            rewriteProperties(original, failure);
        }
        try (MessageProducer producer = session.createProducer(session.createQueue(dlq))) {
            producer.send(original);
        }
    }

    /**
     * The four failure properties of this failure, from the outcome's headers: a name with null is removed from the
     * dead letter (no errcode when WeChat gave none, not the one of an earlier failure).
     */
    static Map<String, Object> failure(Map<String, Object> headers) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : FAILURE) {
            Object value = headers.get(name);
            out.put(name, value instanceof Integer || value == null ? value : value.toString());
        }
        return out;
    }

    /** Another provider's message: its properties made writable (clearProperties), then set again with the failure. */
    private static void rewriteProperties(Message original, Map<String, Object> failure) throws JMSException {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Object name : Collections.list(original.getPropertyNames())) {
            // JMSX* are the broker's (e.g. the delivery count of this receive), not the sender's
            if (!((String) name).startsWith("JMSX")) {
                properties.put((String) name, original.getObjectProperty((String) name));
            }
        }
        properties.remove(DUPLICATE_ID);
        failure.forEach((name, value) -> {
            if (value == null) {
                properties.remove(name);
            } else {
                properties.put(name, value);
            }
        });
        original.clearProperties();
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            original.setObjectProperty(property.getKey(), property.getValue());
        }
    }
}
