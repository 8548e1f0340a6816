package dev.kefurelay.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import dev.kefurelay.RelayBrokers;
import dev.kefurelay.broker.EmbeddedBroker;
import dev.kefurelay.broker.JmsConnections;
import dev.kefurelay.config.KefuSettings;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * The benchmark's {@code broker-only} system, in a JVM of its own: what the relay's embedded broker costs with nothing
 * of the relay on top, the floor of a durable relay over JMS. The broker the relay starts for the same kefu.*
 * settings ({@link RelayBrokers}: persistent journal, the relay's queues, dead-letter address and paging), its
 * consumers as the relay's: one in-VM connection from {@link JmsConnections#forListeners} (the same prefetch),
 * {@code kefu.jms.concurrency} transacted sessions on threads of their own, each committing as
 * {@code BatchCommits} does (after {@code kefu.jms.batch-size} messages, or as soon as nothing more is ready). Each
 * consumer reads the message's text and holds it for {@code bench.latency} before counting it, where the relay
 * calls WeChat: the queue then drains at the relay's rate, with the same backlog, paging and batches. It sends
 * nothing: no WeChat call, no reply, no dead letter, no Camel.
 *
 * <p>Settings: the kefu.* system properties the relay would be given, and {@code bench.latency}. Prints
 * {@value #READY} once its consumers listen; runs until it is stopped.
 */
public final class BrokerOnlyPeer {

    static final String READY = "broker-only ready";
    /** The receive timeout of the relay's listener containers (camel-jms' default). */
    static final long RECEIVE_TIMEOUT_MS = 1_000;

    private BrokerOnlyPeer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> given = new TreeMap<>();
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("kefu.")) {
                given.put(key, System.getProperty(key));
            }
        }
        KefuSettings settings = KefuSettings.of(given);
        Duration hold = RelayBenchmark.duration(System.getProperty("bench.latency", "50ms"));
        EmbeddedBroker broker = EmbeddedBroker.start(RelayBrokers.settings(settings));
        Connection connection = JmsConnections.forListeners(broker.inVmUrl(), null, null).createConnection();
        String queue = settings.jms().queue();
        for (int i = 1; i <= settings.jms().concurrency(); i++) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            // "JmsConsumer[": the benchmark's thread group of the relay's consumers (ChildJvm.threadGroup)
            Thread t = new Thread(() -> consume(session, consumer, settings.jms().batchSize(), hold.toMillis()),
                    "broker-only JmsConsumer[" + queue + "] #" + i);
            t.start();
        }
        connection.start();
        System.out.printf("%s: %s, %d consumers, batches of %d, each message held %d ms%n", READY, broker.url(),
                settings.jms().concurrency(), settings.jms().batchSize(), hold.toMillis());
    }

    /** One consumer's loop: BatchCommits' receive and commit, with a wait where the relay sends. */
    private static void consume(Session session, MessageConsumer consumer, int batchSize, long holdMillis) {
        int pending = 0;
        long length = 0;
        try {
            while (true) {
                Message message = null;
                if (pending > 0) {
                    message = consumer.receiveNoWait();
                    if (message == null) {
                        // nothing ready: commit what is held before waiting
                        session.commit();
                        pending = 0;
                    }
                }
                if (message == null) {
                    message = consumer.receive(RECEIVE_TIMEOUT_MS);
                    if (message == null) {
                        continue;
                    }
                }
                length += ((TextMessage) message).getText().length();
                Thread.sleep(holdMillis);
                if (++pending >= batchSize) {
                    session.commit();
                    pending = 0;
                }
            }
        } catch (JMSException | InterruptedException e) {
            System.out.println(Thread.currentThread().getName() + " stopped after " + length + " characters: " + e);
        }
    }
}
