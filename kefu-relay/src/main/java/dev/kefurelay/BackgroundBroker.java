package dev.kefurelay;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.kefurelay.broker.BrokerSettings;
import dev.kefurelay.broker.EmbeddedBroker;

/**
 * The embedded broker started on a thread of its own, so that its start (journal, acceptor: 0.6-2.4 s on the
 * benchmark's machine) runs beside Camel's configuration, which does not need it; {@link #await} before the routes'
 * JMS consumers connect. Only for a fixed port: its URL is then known before the broker listens.
 */
final class BackgroundBroker implements AutoCloseable {

    private final CompletableFuture<EmbeddedBroker> started = new CompletableFuture<>();
    private final int inVmId = EmbeddedBroker.newInVmId();
    private volatile long millis;

    BackgroundBroker(BrokerSettings settings) {
        if (settings.port() == 0) {
            throw new IllegalArgumentException("a broker on port 0 has no URL before it listens: start it in place");
        }
        Thread t = new Thread(() -> {
            long t0 = System.nanoTime();
            EmbeddedBroker broker;
            try {
                broker = EmbeddedBroker.start(settings, inVmId);
            } catch (RuntimeException | Error e) {
                started.completeExceptionally(e);
                return;
            }
            // before complete(): await() returns as soon as it is called, and millis() is read right after
            millis = (System.nanoTime() - t0) / 1_000_000;
            started.complete(broker);
        }, "kefu-broker-start");
        t.setDaemon(true);
        t.start();
    }

    /** {@link EmbeddedBroker#inVmUrl()}, known before the broker has started. */
    String inVmUrl() {
        return EmbeddedBroker.inVmUrl(inVmId);
    }

    /** Waits for the broker to listen; its start failure is thrown as it is. */
    EmbeddedBroker await() {
        try {
            return started.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** How long the start took, once {@link #await} returned. */
    long millis() {
        return millis;
    }

    /** Stops the broker once it has started (a start that failed left nothing to stop). */
    @Override
    public void close() {
        EmbeddedBroker broker = started.handle((b, e) -> b).join();
        if (broker != null) {
            broker.close();
        }
    }
}
