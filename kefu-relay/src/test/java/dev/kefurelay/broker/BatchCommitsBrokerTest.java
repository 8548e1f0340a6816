package dev.kefurelay.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BatchCommits}' container against the embedded broker over TCP: one consumer, a route that copies each
 * message to queue {@code seen} inside the consumer's transaction (as the dead-letter copy does), so what the
 * broker shows on {@code seen} is what has been committed. The receive timeout is a minute, so nothing below is
 * committed by an idle receive.
 */
class BatchCommitsBrokerTest {

    private static final String ROUTE = "jms:queue:in?transacted=true&lazyCreateTransactionManager=false"
            + "&cacheLevelName=CACHE_CONSUMER&concurrentConsumers=1&maxConcurrentConsumers=1&receiveTimeout=60000"
            + "&consumerType=Custom&messageListenerContainerFactory=#batch";

    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private ConnectionFactory client;
    private DefaultCamelContext camel;
    private final List<String> taken = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile String holdAt = "";

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerSettings.loopback(dir, 0));
        client = Jms.core(broker);
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        // the broker first: a consumer in its minute-long receive would otherwise hold Camel's stop for that minute
        broker.close();
        if (camel != null) {
            camel.close();
        }
    }

    /** The relay's set-up in small: the listeners' factory for consumer and producer, the container bound. */
    private void startRoute(int batchSize) throws Exception {
        camel = new DefaultCamelContext();
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(JmsConnections.forListeners(broker.url(), null, null));
        camel.addComponent("jms", jms);
        camel.getRegistry().bind("batch", new BatchCommits(batchSize));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(ROUTE).routeId("in")
                    .process(exchange -> {
                        String body = exchange.getMessage().getBody(String.class);
                        taken.add(body);
                        if (body.equals(holdAt)) {
                            release.await(30, TimeUnit.SECONDS);
                        }
                    })
                    .to("jms:queue:seen?disableReplyTo=true");
            }
        });
        camel.start();
    }

    @Test
    void aBacklogIsCommittedInBatchesNotPerMessage() throws Exception {
        sendAll("m1", "m2", "m3", "m4", "m5");
        holdAt = "m3";
        startRoute(4);
        await().atMost(Duration.ofSeconds(20)).until(() -> taken.contains("m3"));
        // m1 and m2 are done, m3 is held: a commit per message would show m1 and m2 on seen by now
        assertEquals(0, depth("seen"), "m1 and m2 are in the open batch, not committed");
        release.countDown();
        // m1-m4 commit as the batch of 4; m5 as soon as the queue has nothing more
        await().atMost(Duration.ofSeconds(20)).until(() -> depth("seen") == 5);
        assertEquals(0, depth("in"));
    }

    /** With the receive timeout at a minute, only the commit on an empty queue makes this visible in time. */
    @Test
    void aConsumerThatKeepsUpCommitsEachMessageAtOnce() throws Exception {
        startRoute(16);
        sendAll("alone");
        await().atMost(Duration.ofSeconds(20)).until(() -> depth("seen") == 1);
        sendAll("next");
        await().atMost(Duration.ofSeconds(20)).until(() -> depth("seen") == 2);
    }

    /** A SIGTERM's path: the route stops while a batch is open; what it holds is committed, nothing comes back. */
    @Test
    void aStopCommitsTheOpenBatchAndNothingIsRedelivered() throws Exception {
        sendAll("s1", "s2", "s3", "s4");
        holdAt = "s3";
        startRoute(16);
        await().atMost(Duration.ofSeconds(20)).until(() -> taken.contains("s3"));
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(camel::stop);
        await().atMost(Duration.ofSeconds(20)).until(() -> camel.isStopping() || camel.isStopped());
        release.countDown();
        stopping.get(60, TimeUnit.SECONDS);

        assertEquals(3, depth("seen"), "s1-s3 committed with their copies at the stop");
        assertEquals(List.of("s1", "s2", "s3"), taken, "s4 not taken while stopping");
        // s4 is still on the queue, once: s1-s3 are not
        assertEquals("s4", Jms.receiveText(client, "in"));
        assertNull(Jms.receiveText(client, "in", 1_000));
    }

    private void sendAll(String... texts) throws JMSException {
        for (String text : texts) {
            Jms.send(client, "in", text);
        }
    }

    /** Committed messages on a queue, as a browser sees them. */
    private int depth(String queue) throws JMSException {
        try (Connection c = client.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = s.createBrowser(s.createQueue(queue));
            int n = 0;
            for (var e = browser.getEnumeration(); e.hasMoreElements(); e.nextElement()) {
                n++;
            }
            return n;
        }
    }
}
