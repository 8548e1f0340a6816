package dev.kefurelay.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** Test helpers: one-shot send and receive, each on its own connection. */
final class Jms {

    static final long RECEIVE_TIMEOUT_MS = 5_000;

    private Jms() {
    }

    /** A CORE client for the embedded broker, without the relay's reconnect tuning. */
    static ActiveMQConnectionFactory core(EmbeddedBroker broker) {
        return new ActiveMQConnectionFactory(broker.url());
    }

    static void send(ConnectionFactory cf, String queue, String text) throws JMSException {
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            p.send(s.createTextMessage(text));
        }
    }

    /** The next message's text, or null if none arrives within {@link #RECEIVE_TIMEOUT_MS}. */
    static String receiveText(ConnectionFactory cf, String queue) throws JMSException {
        return receiveText(cf, queue, RECEIVE_TIMEOUT_MS);
    }

    static String receiveText(ConnectionFactory cf, String queue, long timeoutMs) throws JMSException {
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            Message m = consumer.receive(timeoutMs);
            return m == null ? null : ((TextMessage) m).getText();
        }
    }
}
