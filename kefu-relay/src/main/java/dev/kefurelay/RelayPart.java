package dev.kefurelay;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;

/**
 * One concern of the relay: its store, the sandbox, the broker, the sending, the pushes, the inbox, operations.
 * {@link RelayAssembly} starts the parts in one fixed order, each from what the parts before it handed back, and
 * closes them in reverse after Camel stopped.
 */
interface RelayPart extends AutoCloseable {

    /** Before Camel configures itself: start what the part runs, bind its beans, add its routes. */
    void start(BaseMainSupport main);

    /** Camel has configured itself and not started yet. */
    default void configured(CamelContext camel) {
    }

    /** Camel runs: the component has started. */
    default void running(CamelContext camel) {
    }

    /** Stops what {@link #start} started; called too when a start failed half-way, so it stops what is there. */
    @Override
    default void close() {
    }
}
