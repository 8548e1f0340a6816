package dev.kefurelay.broker;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import dev.kefurelay.config.Key;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.camel.component.jms.DefaultJmsMessageListenerContainer;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.jms.MessageListenerContainerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.listener.AbstractMessageListenerContainer;

/**
 * The listener container of the relay's outbound queue ({@code consumerType=Custom}): a transacted consumer that
 * commits once per batch of up to {@code batchSize} messages instead of once per message. Each commit is an
 * acknowledgement packet, a commit round trip and a synced journal write in the broker; batching them is what takes
 * the per-message commit off the JMS path (docs/relay.md, "Sending over JMS": what a crash then costs).
 *
 * <p>When it commits, so that nothing is held longer than the queue keeps the consumer busy:
 * <ul>
 *   <li>after {@code batchSize} messages;</li>
 *   <li>as soon as the queue has nothing ready for this consumer: before waiting for the next message, it asks
 *       without waiting ({@code receiveNoWait}) and commits what it holds when the answer is none. A relay that is
 *       not behind therefore commits every message at once, as before; batches form only from a backlog;</li>
 *   <li>when the session closes (a graceful stop, a route stop): what it holds is committed first, so a SIGTERM
 *       redelivers nothing.</li>
 * </ul>
 * What a batch risks: a crash (kill -9, power loss), a lost broker connection or an exception out of the route
 * rolls back the whole open batch, so up to {@code batchSize} messages per consumer that were already sent come
 * back and are sent again, unless they carry an {@code id} (the duplicate check then answers {@code duplicate}).
 * So nothing a message holds may throw out of the route: its type, body and properties are read by
 * {@link JmsInput} and anything unreadable is that message's own outcome; its dead letter is the message as received
 * ({@link DeadLetterRoutes}), which cannot fail for its content. What is left is the broker itself failing.
 * Nothing is lost: a message leaves the queue only in a commit after its outcome. Replies (JMSReplyTo) and dead
 * letters join the transaction and are seen when the batch commits. {@code batchSize} 1 is the plain container.
 */
public final class BatchCommits implements MessageListenerContainerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCommits.class);

    private final int batchSize;

    public BatchCommits(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(Key.JMS_BATCH_SIZE.key() + " must be at least 1: " + batchSize);
        }
        this.batchSize = batchSize;
    }

    @Override
    public AbstractMessageListenerContainer createMessageListenerContainer(JmsEndpoint endpoint) {
        return new Container(endpoint, batchSize);
    }

    /** Camel's container (its thread names, its quick stop) with the commits of a batch. */
    static final class Container extends DefaultJmsMessageListenerContainer {

        private final int batchSize;
        /** The open batch of the invoker running on this thread (each invoker creates its session on its thread). */
        private final ThreadLocal<Batch> batches = new ThreadLocal<>();

        Container(JmsEndpoint endpoint, int batchSize) {
            super(endpoint);
            this.batchSize = batchSize;
        }

        @Override
        protected Session createSession(Connection con) throws JMSException {
            Session session = super.createSession(con);
            if (batchSize == 1 || !session.getTransacted()) {
                return session;
            }
            Batch batch = new Batch(session, batchSize);
            batches.set(batch);
            return batch.session();
        }

        @Override
        protected Message receiveMessage(MessageConsumer consumer) throws JMSException {
            Batch batch = batches.get();
            if (batch != null) {
                if (!isRunning()) {
                    // stopping: commit what is held and take nothing more
                    batch.flush();
                    return null;
                }
                if (batch.pending() > 0) {
                    Message next = consumer.receiveNoWait();
                    if (next != null) {
                        return next;
                    }
                    // nothing ready: commit now rather than hold the batch while waiting
                    batch.flush();
                }
            }
            return super.receiveMessage(consumer);
        }

        /**
         * A message taken in the instant the container stops is sent and committed with its batch, not refused: the
         * container's refusal is a rollback, which would send the batch's earlier messages again.
         */
        @Override
        public boolean isAcceptMessagesWhileStopping() {
            return batchSize > 1 || super.isAcceptMessagesWhileStopping();
        }

        @Override
        protected void commitIfNecessary(Session session, Message message) throws JMSException {
            super.commitIfNecessary(session, message);
            Batch batch = batches.get();
            if (batch != null && (message == null || !isRunning())) {
                // no message within the receive timeout, or stopping: nothing is held over
                batch.flush();
            }
        }
    }

    /**
     * One consumer session's open batch. The container and the JMS producers that join its transaction (dead
     * letters, replies) see only {@link #session()}: their commits are counted, and every {@code batchSize}-th is
     * the real one.
     */
    static final class Batch implements InvocationHandler {

        private final Session target;
        private final int size;
        private final Session proxy;
        private int pending;

        Batch(Session target, int size) {
            this.target = target;
            this.size = size;
            this.proxy = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                    this);
        }

        Session session() {
            return proxy;
        }

        /** Messages whose outcome is recorded in the open transaction, not yet committed. */
        int pending() {
            return pending;
        }

        /** Commits what is held, if anything. */
        void flush() throws JMSException {
            if (pending > 0) {
                pending = 0;
                target.commit();
            }
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "commit" -> {
                    if (++pending >= size) {
                        flush();
                    }
                    return null;
                }
                case "rollback" -> {
                    if (pending > 0) {
                        LOG.warn("rolling back a batch of {} messages whose outcome was recorded: they are redelivered "
                                + "(those with an id are then answered as duplicates)", pending);
                    }
                    pending = 0;
                    target.rollback();
                    return null;
                }
                case "close" -> {
                    try {
                        flush();
                    } catch (JMSException e) {
                        LOG.warn("could not commit the last batch before closing its session ({}): its messages are "
                                + "redelivered", e.toString());
                    }
                    target.close();
                    return null;
                }
                // by identity: Spring finds the container's exposed session among its transaction's by equals, and a
                // JMS producer that did not find it there would commit it itself
                case "equals" -> {
                    return self == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(self);
                }
                case "toString" -> {
                    return "BatchCommits.Batch[pending=" + pending + ", of " + size + ", " + target + "]";
                }
                default -> {
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }
            }
        }
    }
}
