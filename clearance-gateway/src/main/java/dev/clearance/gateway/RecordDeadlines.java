package dev.clearance.gateway;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Fails the records that are not durable within the record timeout: one watchdog thread for every call
 * in place of a timer per call. Scheduling and cancelling a timeout for each record (what
 * {@link CompletableFuture#orTimeout} does) cost two wake-ups of a scheduler thread per call, about
 * a twentieth of the gateway's CPU under load. Every record has the same timeout, so records fall due
 * in the order they were handed over: the watchdog only ever looks at the oldest.
 */
final class RecordDeadlines implements AutoCloseable {
    /** How often completed records are cleared from the front of the queue while the oldest is pending. */
    private static final long SWEEP_NANOS = Duration.ofMillis(20).toNanos();

    private record Pending(long deadline, CompletableFuture<?> record) {}

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final Duration timeout;
    private final long timeoutNanos;
    private final Thread watchdog;
    private volatile boolean closed;

    RecordDeadlines(Duration timeout) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.watchdog =
                Thread.ofPlatform().name("record-deadlines").daemon(true).unstarted(this::run);
        watchdog.start();
    }

    /**
     * A copy of the recorder's answer (so the timeout never completes a future the recorder owns) that
     * fails with a {@link TimeoutException} when the answer has not come within the record timeout.
     */
    <T> CompletableFuture<T> bound(CompletionStage<T> record) {
        CompletableFuture<T> copy = record.toCompletableFuture().copy();
        if (!copy.isDone()) {
            pending.add(new Pending(System.nanoTime() + timeoutNanos, copy));
        }
        return copy;
    }

    private void run() {
        while (!closed) {
            long sleep = SWEEP_NANOS;
            for (Pending head; (head = pending.peek()) != null; pending.poll()) {
                if (head.record().isDone()) {
                    continue;
                }
                long left = head.deadline() - System.nanoTime();
                if (left > 0) {
                    sleep = Math.min(sleep, left);
                    break;
                }
                head.record()
                        .completeExceptionally(
                                new TimeoutException("not durable in the decision log within " + timeout));
            }
            LockSupport.parkNanos(this, sleep);
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(watchdog);
    }
}
