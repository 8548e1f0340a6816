package dev.kefurelay.broker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.kefurelay.component.KefuHeaders;
import jakarta.jms.JMSException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.DefaultJmsKeyFormatStrategy;
import org.apache.camel.component.jms.JmsKeyFormatStrategy;
import org.apache.camel.component.jms.JmsMessage;

/**
 * {@code direct:kefu-jms-dead-letter}: a JMS message that failed goes to the dead-letter queue with its
 * original body and properties plus KefuReason, KefuErrcode, KefuErrmsg and KefuFailedAt, and nothing else: the
 * headers the relay's routes set on the way (Content-Type, KefuOutcome, ...) are not the sender's. It runs on the
 * consumer's thread, inside its transaction: the DLQ copy and the removal from the queue commit together.
 * The body and headers are then the outcome's again, so a JMSReplyTo still gets the outcome as its reply.
 */
public final class DeadLetterRoutes extends RouteBuilder {

    public static final String DEAD_LETTER = "direct:kefu-jms-dead-letter";
    /** Exchange property: the JMS message the exchange was consumed from, for the dead letter's properties. */
    /** Exchange property: the body as the caller handed it (text or bytes), for dead letters and failure records. */
    public static final String INPUT = "KefuInput";
    static final String INPUT_JMS = "KefuInputJms";
    /** Added to the original properties; an earlier failure's values (a replayed dead letter) are replaced. */
    static final List<String> FAILURE = List.of(KefuHeaders.REASON, KefuHeaders.ERRCODE, KefuHeaders.ERRMSG,
            KefuHeaders.FAILED_AT);
    /** JMS headers, not properties, that the sender set and Camel sends on: kept with the message. */
    static final List<String> SENDER_HEADERS = List.of("JMSCorrelationID", "JMSType");
    private static final String OUTCOME_JSON = "KefuOutcomeJson";
    private static final String OUTCOME_HEADERS = "KefuOutcomeHeaders";
    /** The JMS component's default, which the relay's component uses: property names as Camel sees them. */
    private static final JmsKeyFormatStrategy KEYS = new DefaultJmsKeyFormatStrategy();

    @Override
    public void configure() {
        from(DEAD_LETTER).routeId("kefu-jms-dead-letter")
            .setProperty(OUTCOME_JSON, body())
            .process(DeadLetterRoutes::originalHeaders)
            .setBody(exchangeProperty(INPUT))
            .to(ExchangePattern.InOnly, "jms:queue:{{kefu.jms.dlq}}?disableReplyTo=true")
            .process(exchange -> exchange.getMessage().setHeaders(
                    exchange.getProperty(OUTCOME_HEADERS, Map.class)))
            .setBody(exchangeProperty(OUTCOME_JSON));
    }

    /**
     * Keeps what the caller handed over, for a dead letter: the body as it was (text or bytes) and, from a JMS
     * consumer, the JMS message itself, whose properties are the dead letter's. Held as they came: Camel may
     * replace the exchange's message on the way, and the routes add headers of their own. Called first by every
     * route a JMS edge sends to.
     */
    public static void keepInput(Exchange exchange) {
        exchange.setProperty(INPUT, exchange.getMessage().getBody());
        // instanceof, not getMessage(JmsMessage.class): for any other message (every inbox line) that asks Camel's
        // type converters for a conversion that does not exist, 10% of the relay's CPU samples in the benchmark
        if (exchange.getMessage() instanceof JmsMessage jms && jms.getJmsMessage() != null) {
            exchange.setProperty(INPUT_JMS, jms.getJmsMessage());
        }
    }

    private static void originalHeaders(Exchange exchange) throws JMSException {
        Map<String, Object> current = new LinkedHashMap<>(exchange.getMessage().getHeaders());
        exchange.setProperty(OUTCOME_HEADERS, current);
        exchange.getMessage().setHeaders(deadLetterHeaders(originalPropertyNames(exchange), current));
    }

    /**
     * The dead letter's headers: the original message's properties (with their values, untouched by the routes),
     * its correlation id and type, and the four failure properties of this failure (an errcode only when WeChat
     * gave one).
     */
    static Map<String, Object> deadLetterHeaders(Set<String> originalProperties, Map<String, Object> current) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : originalProperties) {
            if (!FAILURE.contains(name) && current.get(name) != null) {
                out.put(name, current.get(name));
            }
        }
        for (String name : SENDER_HEADERS) {
            if (current.get(name) != null) {
                out.put(name, current.get(name));
            }
        }
        for (String name : FAILURE) {
            if (current.get(name) != null) {
                out.put(name, current.get(name));
            }
        }
        return out;
    }

    /** The property names of the JMS message this exchange was consumed from, as Camel names its headers. */
    private static Set<String> originalPropertyNames(Exchange exchange) throws JMSException {
        jakarta.jms.Message original = exchange.getProperty(INPUT_JMS, jakarta.jms.Message.class);
        if (original == null) {
            throw new IllegalStateException(DEAD_LETTER + " is for exchanges consumed from JMS (property "
                    + INPUT_JMS + " is not set)");
        }
        Set<String> names = new TreeSet<>();
        for (Object name : Collections.list(original.getPropertyNames())) {
            // JMSX* are the broker's (e.g. the delivery count of this receive), not the sender's
            if (!((String) name).startsWith("JMSX")) {
                names.add(KEYS.decodeKey((String) name));
            }
        }
        return names;
    }
}
