package dev.kefurelay.store;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

import dev.kefurelay.MutableClock;

/**
 * What a part of the store contract ({@link WindowBookContract}, {@link MessageIdContract}) gets from
 * {@link KefuStoreContract}: the backend's stores, their clock and threads for what runs at once. Where the backend is
 * shared ({@link #sharedAtOnce}), what several relays do at once is done through two stores on the same database.
 */
interface StoreContractPart {

    KefuStore store();

    /** A store whose token renewals wait at most {@code lockTimeout}, and a copy of an id in flight {@code idWait}. */
    KefuStore store(Duration lockTimeout, Duration idWait);

    /** A second relay's view: at once (shared) or after a restart (local). */
    KefuStore another(KefuStore first);

    boolean sharedAtOnce();

    MutableClock clock();

    ExecutorService threads();

    /** The store closed and opened again on the same folder or database: a restart. */
    default KefuStore reopened(KefuStore first) {
        first.close();
        return store();
    }
}
