package dev.kefurelay.component;

import java.util.concurrent.Executor;

/**
 * The component's pool as its send steps use it: where the calls to WeChat wait and the caller's route goes on.
 * Each task it runs marks its thread as this pool's, so that {@link #continuation()} can tell whether an outcome
 * completed on one of them (the call that just ended, nearly always) and let the route go on right there, instead of
 * waking another of the pool's threads for it while this one goes idle: two context switches a message for
 * nothing. An outcome completed anywhere else (a token fetcher, the retry scheduler, a stopping thread, the
 * caller's own) is handed to the pool, as every outcome was before.
 */
final class ComponentPool implements Executor {

    /** The pool whose task the current thread runs, while it runs it. */
    private static final ThreadLocal<ComponentPool> RUNNING = new ThreadLocal<>();

    private final Executor threads;
    private final Executor continuation = this::continueWith;

    ComponentPool(Executor threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        threads.execute(() -> {
            // for this task only: a pool that ran a task on the caller's thread (a rejection policy) must not leave
            // the caller marked as the pool's
            RUNNING.set(this);
            try {
                task.run();
            } finally {
                RUNNING.remove();
            }
        });
    }

    /** Runs a task on the thread that hands it over when that is one of this pool's, else on the pool. */
    Executor continuation() {
        return continuation;
    }

    private void continueWith(Runnable task) {
        if (RUNNING.get() == this) {
            task.run();
        } else {
            execute(task);
        }
    }
}
