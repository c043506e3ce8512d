package dev.clearance.lifecycle;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The lifecycle's daemon thread: runs one tick every period until closed. A failed tick is
 * reported and retried on the next one.
 */
final class Scheduler implements AutoCloseable {
    private final Thread thread;

    private Scheduler(Thread thread) {
        this.thread = thread;
    }

    static Scheduler start(Duration period, Runnable tick, Consumer<Exception> onError) {
        Thread t = Thread.ofPlatform().daemon().name("clearance-lifecycle").unstarted(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    tick.run();
                } catch (RuntimeException e) {
                    onError.accept(e);
                }
                try {
                    Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        t.start();
        return new Scheduler(t);
    }

    /** Stops the thread, waiting up to 5 s for a tick under way. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
