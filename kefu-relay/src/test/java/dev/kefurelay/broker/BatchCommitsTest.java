package dev.kefurelay.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.springframework.jms.connection.JmsResourceHolder;

/** The commits of one consumer session's batch, against a session that records what reaches it. */
class BatchCommitsTest {

    private final List<String> calls = new ArrayList<>();
    private final Session recording = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
            new Class<?>[] {Session.class}, (self, method, args) -> switch (method.getName()) {
                case "equals" -> self == args[0];
                case "hashCode" -> System.identityHashCode(self);
                default -> {
                    calls.add(method.getName());
                    yield method.getName().equals("getTransacted") ? Boolean.TRUE : null;
                }
            });

    @Test
    void everyNthCommitIsTheRealOne() throws JMSException {
        BatchCommits.Batch batch = new BatchCommits.Batch(recording, 3);
        for (int i = 0; i < 7; i++) {
            batch.session().commit();
        }
        assertEquals(List.of("commit", "commit"), calls, "7 messages in batches of 3: two commits, one held");
        assertEquals(1, batch.pending());
    }

    @Test
    void flushCommitsWhatIsHeldAndNothingWhenNothingIs() throws JMSException {
        BatchCommits.Batch batch = new BatchCommits.Batch(recording, 16);
        batch.flush();
        assertEquals(List.of(), calls, "no empty commit");
        batch.session().commit();
        batch.session().commit();
        batch.flush();
        assertEquals(List.of("commit"), calls);
        assertEquals(0, batch.pending());
    }

    @Test
    void closeCommitsTheOpenBatchFirst() throws JMSException {
        BatchCommits.Batch batch = new BatchCommits.Batch(recording, 16);
        batch.session().commit();
        batch.session().close();
        assertEquals(List.of("commit", "close"), calls, "a graceful stop must not roll back delivered messages");
    }

    @Test
    void aRollbackDropsTheBatchAndCloseThenCommitsNothing() throws JMSException {
        BatchCommits.Batch batch = new BatchCommits.Batch(recording, 16);
        batch.session().commit();
        batch.session().commit();
        batch.session().rollback();
        batch.session().close();
        assertEquals(List.of("rollback", "close"), calls);
        assertEquals(0, batch.pending());
    }

    @Test
    void everythingElseReachesTheSession() throws JMSException {
        BatchCommits.Batch batch = new BatchCommits.Batch(recording, 16);
        assertTrue(batch.session().getTransacted());
        batch.session().createTextMessage("x");
        assertEquals(List.of("getTransacted", "createTextMessage"), calls);
    }

    /**
     * The dead-letter and reply producers join the consumer's transaction only if Spring finds the exposed session
     * among the transaction's; if not, they commit it themselves, in the middle of a batch.
     */
    @Test
    void theProducersThatJoinTheTransactionFindItsSessionAndDoNotCommitIt() throws JMSException {
        BatchCommits.Batch batch = new BatchCommits.Batch(recording, 16);
        // the container exposes it in a JmsResourceHolder (its package-private subclass), searched by containsSession
        JmsResourceHolder holder = new JmsResourceHolder(batch.session());
        assertTrue(holder.containsSession(batch.session()));
        assertFalse(holder.containsSession(recording), "another session is not this one");
        assertEquals(List.of(), calls);
    }

    @Test
    void aBatchSizeUnderOneIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BatchCommits(0));
        assertTrue(e.getMessage().contains("kefu.jms.batch-size"), e.getMessage());
    }
}
