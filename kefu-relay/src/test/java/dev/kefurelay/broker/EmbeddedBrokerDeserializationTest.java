package dev.kefurelay.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's JVM refuses every ObjectMessage deserialization, even in a client that was made without
 * {@link JmsConnections}' deny list: a plain Artemis connection factory, as an operator's own route might use.
 */
class EmbeddedBrokerDeserializationTest {

    @TempDir
    Path dir;

    /** Counts its own deserializations: a gadget stand-in. */
    static final class Gadget implements Serializable {
        static final AtomicInteger READ = new AtomicInteger();

        private void readObject(ObjectInputStream in) throws Exception {
            in.defaultReadObject();
            READ.incrementAndGet();
        }
    }

    @Test
    void aPlainClientInTheBrokersJvmCannotDeserializeAnObjectMessage() throws Exception {
        Gadget.READ.set(0);
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0));
                ActiveMQConnectionFactory plain = new ActiveMQConnectionFactory(broker.url());
                Connection connection = plain.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var queue = session.createQueue(BrokerSettings.DEFAULT_QUEUE);
            session.createProducer(queue).send(session.createObjectMessage(new Gadget()));
            Message got = session.createConsumer(queue).receive(10_000);

            ObjectMessage object = assertInstanceOf(ObjectMessage.class, got);
            assertThrows(JMSException.class, object::getObject);
            assertEquals(0, Gadget.READ.get(), "the object was deserialized");
            assertEquals("*", System.getProperty(EmbeddedBroker.DENY_LIST_PROPERTY));
        }
    }
}
