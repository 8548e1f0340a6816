package dev.kefurelay.broker;

import java.util.Enumeration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.kefurelay.component.KefuHeaders;
import dev.kefurelay.message.UnreadableInput;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.springframework.jms.support.converter.MessageConverter;
import org.springframework.jms.support.converter.SimpleMessageConverter;

/**
 * How the relay's JMS consumers read a message (their {@code messageConverter}, bean {@code kefuJmsInput} in
 * routes/*.camel.yaml): a TextMessage's text or a BytesMessage's bytes, and nothing else. Any other message, or one
 * with a property the relay reads but of the wrong type, becomes an {@link UnreadableInput} saying what is wrong,
 * which the send flow refuses as that message's own invalid-input outcome (dead-lettered with the reason).
 *
 * <p>Why here: Camel's own reading runs before the first step of the route, outside any outcome. A StreamMessage's
 * body failed there (a conversion error), which rolled back the consumer's whole batch, so the messages already
 * delivered in it were sent again, once per redelivery of the one that failed. And it deserialized an
 * ObjectMessage's bytes with Java serialization, whatever class they named. Here the type and properties are looked
 * at first; the body of a message that is not text or bytes is never read.
 */
public final class JmsInput implements MessageConverter {

    /** The properties the send flow reads, each with the one type it may have. */
    static final Map<String, Class<?>> TYPED = Map.of(KefuHeaders.APP_ID, String.class, KefuHeaders.TO_USER,
            String.class, KefuHeaders.MEDIA, byte[].class, KefuHeaders.THUMB_MEDIA, byte[].class);
    private static final String TEXT_OR_BYTES = "put the message JSON in a TextMessage or BytesMessage (UTF-8)";
    /** Replies (JMSReplyTo) of another body than text or bytes, as Camel would make them. */
    private static final SimpleMessageConverter OTHER_REPLIES = new SimpleMessageConverter();

    @Override
    public Object fromMessage(Message message) {
        try {
            String problem = problem(message);
            if (problem != null) {
                return new UnreadableInput(problem);
            }
            if (message instanceof TextMessage text) {
                return text.getText();
            }
            BytesMessage bytes = (BytesMessage) message;
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return body;
        } catch (JMSException | RuntimeException e) {
            // a broken message is that message's outcome too, never an exception out of the consumer
            return new UnreadableInput("the JMS message could not be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
    }

    /**
     * What makes this message one the relay cannot read, or null: from its type and properties only, never its body.
     */
    static String problem(Message message) throws JMSException {
        if (message instanceof ObjectMessage) {
            return "a JMS ObjectMessage is not read (the relay never deserializes one): " + TEXT_OR_BYTES;
        }
        if (!(message instanceof TextMessage) && !(message instanceof BytesMessage)) {
            return "a JMS " + typeName(message) + " cannot be sent: " + TEXT_OR_BYTES;
        }
        if (message instanceof BytesMessage bytes && bytes.getBodyLength() > Integer.MAX_VALUE) {
            return "the BytesMessage is larger than 2 GiB";
        }
        Map<String, String> typedSeen = null;
        for (Enumeration<?> names = message.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            if (name.regionMatches(true, 0, "camel", 0, 5)) {
                return "JMS property " + name + " is not taken: names starting with 'Camel' (in any case) are Camel's "
                        + "own headers, and one from a message could change where the relay sends it; rename it";
            }
            String typed = typedName(name);
            if (typed == null) {
                continue;
            }
            if (typedSeen == null) {
                typedSeen = new HashMap<>();
            }
            String other = typedSeen.put(typed, name);
            if (other != null) {
                return "JMS properties " + other + " and " + name + " are both set: Camel reads property names "
                        + "without case, so set " + typed + " once";
            }
            Class<?> type = TYPED.get(typed);
            Object value = message.getObjectProperty(name);
            if (!type.isInstance(value)) {
                return "JMS property " + name + " must be " + typeName(type) + ", not " + typeName(value.getClass())
                        + (type == String.class ? ": set it with setStringProperty" : ": a JMS producer cannot set "
                        + "one; give the message a media_id, file or source_url instead");
            }
        }
        return null;
    }

    /** Replies to JMSReplyTo: the outcome JSON as text, as Camel's own binding would send it. */
    @Override
    public Message toMessage(Object object, Session session) throws JMSException {
        if (object instanceof String text) {
            return session.createTextMessage(text);
        }
        if (object instanceof byte[] bytes) {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(bytes);
            return message;
        }
        return OTHER_REPLIES.toMessage(object, session);
    }

    /** The name in {@link #TYPED} this property name is, case ignored (Camel's headers ignore it), or null. */
    private static String typedName(String name) {
        for (String typed : TYPED.keySet()) {
            if (typed.equalsIgnoreCase(name)) {
                return typed;
            }
        }
        return null;
    }

    private static String typeName(Message message) {
        if (message instanceof MapMessage) {
            return "MapMessage";
        }
        if (message instanceof StreamMessage) {
            return "StreamMessage";
        }
        return "Message with no body";
    }

    /** A property's type as JMS names its setters (setStringProperty, setIntProperty, ...). */
    private static String typeName(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == byte[].class) {
            return "bytes";
        }
        String name = type.getSimpleName();
        return switch (name) {
            case "Integer" -> "an int";
            default -> "a " + name.toLowerCase(Locale.ROOT);
        };
    }
}
