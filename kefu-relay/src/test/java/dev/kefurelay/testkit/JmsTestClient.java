package dev.kefurelay.testkit;

import java.util.ArrayList;
import java.util.List;

import dev.kefurelay.broker.JmsConnections;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/** A plain JMS client of the relay's broker, as a back-office system would be. */
public final class JmsTestClient implements AutoCloseable {

    private final Connection connection;
    private final Session session;
    private final MessageProducer producer;

    public JmsTestClient(String brokerUrl, String queue) throws Exception {
        connection = JmsConnections.plain(brokerUrl, null, null).createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(session.createQueue(queue));
    }

    public void sendText(String body) throws Exception {
        producer.send(session.createTextMessage(body));
    }

    public Session session() {
        return session;
    }

    /** For sessions of a test's own, e.g. a transacted one. */
    public Connection connection() {
        return connection;
    }

    /**
     * Waits until this many messages came on the queue (within {@code within}) and takes them; fails naming how many
     * came when fewer did.
     */
    public List<Message> receive(String queue, int count, java.time.Duration within) throws Exception {
        List<Message> out = new ArrayList<>();
        try (MessageConsumer c = session.createConsumer(session.createQueue(queue))) {
            long deadline = System.nanoTime() + within.toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                Message m = c.receive(1000);
                if (m != null) {
                    out.add(m);
                }
            }
        }
        if (out.size() != count) {
            throw new AssertionError(count + " messages expected on " + queue + " within " + within + ", "
                    + out.size() + " came");
        }
        return out;
    }

    /** The first dead letter on kefu.outbound.dlq, waiting for it up to 20 seconds. */
    public Message deadLetter() throws Exception {
        return receive("kefu.outbound.dlq", 1, java.time.Duration.ofSeconds(20)).get(0);
    }

    /** Everything on the queue now, waiting at most a second for each next message. */
    public List<Message> drain(String queue) throws Exception {
        List<Message> out = new ArrayList<>();
        try (MessageConsumer c = session.createConsumer(session.createQueue(queue))) {
            for (Message m = c.receive(1000); m != null; m = c.receive(1000)) {
                out.add(m);
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
