package dev.kefurelay.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.kefurelay.inbox.InboxGate;
import dev.kefurelay.store.KefuStore;
import dev.kefurelay.store.StoreState;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.jms.JmsConsumer;
import org.springframework.jms.listener.AbstractMessageListenerContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows, in the background, what decides whether the relay may take messages, and acts on a change once:
 * <ul>
 *   <li>The store: while it cannot be used, the relay takes no message — every JMS consumer of its routes stops
 *       receiving (the messages stay on their queues) and the inbox takes no file (the files stay in it) — instead of
 *       taking messages it could only hold or fail. The few already taken wait for the store (their id claims do)
 *       and are sent when it is back; then the inputs go on by themselves. A consumer is stopped, not its route:
 *       Camel's suspend of a route would wait for those messages, that is, for the store.</li>
 *   <li>The inbox folder: whether it can be read ({@link InboxGate#checkReadable}), for readiness and the log.</li>
 * </ul>
 * It reads kept state only ({@link KefuStore#state}), so it never waits on the store.
 */
public final class InputWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InputWatch.class);

    private final CamelContext camel;
    private final Supplier<KefuStore> store;
    private final InboxGate inbox;
    private final ScheduledExecutorService timer;
    /** The consumers this watch stopped, to start again: only those, never one that Camel or an operator stopped. */
    private final List<AbstractMessageListenerContainer> paused = new ArrayList<>();
    private final List<String> pausedRoutes = new ArrayList<>();
    private boolean storeUp = true;

    public InputWatch(CamelContext camel, Supplier<KefuStore> store, InboxGate inbox, long everyMs) {
        this.camel = camel;
        this.store = store;
        this.inbox = inbox;
        this.timer = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "kefu-input-watch");
        timer.scheduleWithFixedDelay(this::tick, 0, everyMs, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            if (camel.isStopping() || camel.isStopped()) {
                return;
            }
            inbox.checkReadable();
            StoreState state = store.get().state();
            if (state.up() != storeUp) {
                storeUp = state.up();
                if (storeUp) {
                    resume();
                } else {
                    pause(state.problem());
                }
            }
        } catch (RuntimeException e) {
            // the next tick tries again; a watch that died would leave the inputs paused for good
            LOG.warn("input watch: {}", e.toString());
        }
    }

    private void pause(String why) {
        inbox.pause("the store cannot be used");
        for (Route route : camel.getRoutes()) {
            // a route that is not started has no container to stop (and asking for it would create one)
            if (route.getConsumer() instanceof JmsConsumer jms
                    && camel.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                AbstractMessageListenerContainer container = container(jms);
                if (container != null && container.isRunning()) {
                    container.stop();
                    paused.add(container);
                    pausedRoutes.add(route.getRouteId());
                }
            }
        }
        LOG.warn("the relay takes no message while the store cannot be used ({}): JMS consumers of {} paused, the "
                + "inbox takes no file; messages already taken wait for the store", why, pausedRoutes);
    }

    private void resume() {
        for (AbstractMessageListenerContainer container : paused) {
            if (container.isActive()) {
                container.start();
            }
        }
        LOG.info("the store can be used again: the JMS consumers of {} and the inbox take messages again",
                pausedRoutes);
        paused.clear();
        pausedRoutes.clear();
        inbox.resume();
    }

    private static AbstractMessageListenerContainer container(JmsConsumer consumer) {
        try {
            return consumer.getListenerContainer();
        } catch (Exception e) {
            LOG.warn("input watch: no listener container of {}: {}", consumer, e.toString());
            return null;
        }
    }

    @Override
    public void close() {
        camel.getExecutorServiceManager().shutdownNow(timer);
    }
}
