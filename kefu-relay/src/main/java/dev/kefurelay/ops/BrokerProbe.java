package dev.kefurelay.ops;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/**
 * Asks the relay's broker (embedded or external) how many messages a queue holds, over one CORE session of
 * its own. The same question tells whether the broker is reachable: a failed call drops the session, and
 * the next call connects afresh, once, with short timeouts, so a probe never hangs on a broker that is gone.
 */
public final class BrokerProbe implements AutoCloseable {

    private static final long TIMEOUT_MS = 2_000;

    private final String url;
    private final String user;
    private final String password;
    private ServerLocator locator;
    private ClientSessionFactory factory;
    private ClientSession session;

    public BrokerProbe(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Messages on the queue, those being delivered included; -1 if the broker has no such queue. */
    public synchronized long messageCount(String queue) throws Exception {
        try {
            ClientSession.QueueQuery q = session().queueQuery(SimpleString.of(queue));
            return q.isExists() ? q.getMessageCount() : -1;
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private ClientSession session() throws Exception {
        if (session == null || session.isClosed()) {
            close();
            locator = ActiveMQClient.createServerLocator(url.split("\\?")[0]);
            locator.setInitialConnectAttempts(1);
            locator.setReconnectAttempts(0);
            locator.setCallTimeout(TIMEOUT_MS);
            locator.setCallFailoverTimeout(TIMEOUT_MS);
            locator.setConnectionTTL(10_000);
            locator.setClientFailureCheckPeriod(TIMEOUT_MS);
            factory = locator.createSessionFactory();
            session = factory.createSession(user, password, false, true, true, false, 0);
        }
        return session;
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            try {
                session.close();
            } catch (Exception ignored) {
                // the broker is gone: nothing to close on its side
            }
        }
        if (factory != null) {
            factory.close();
        }
        if (locator != null) {
            locator.close();
        }
        session = null;
        factory = null;
        locator = null;
    }
}
