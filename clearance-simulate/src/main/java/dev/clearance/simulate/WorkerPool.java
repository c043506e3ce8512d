package dev.clearance.simulate;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The simulation's worker threads: a fixed number of platform threads started for each piece of
 * work and joined before it returns, each with its own state (a tally), never shared, returned in
 * worker order for the caller to merge. Two shapes of work: {@link #slices} splits an indexed range
 * between the workers; {@link #feed} hands batches from one reader thread to the workers through
 * a {@link Handoff}. A worker's failure is rethrown to the caller once every thread has stopped.
 *
 * <p>The CPU time of every thread is summed ({@link #takeCpuNanos}): the machine may be shared, and
 * wall time alone misleads.
 */
final class WorkerPool {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Items a worker does between two progress reports. */
    private static final int REPORT_EVERY = 1024;

    private final int size;
    private final AtomicLong cpuNanos = new AtomicLong();

    WorkerPool(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        this.size = size;
    }

    int size() {
        return size;
    }

    /** CPU time of the threads that ran since the last call. */
    long takeCpuNanos() {
        return cpuNanos.getAndSet(0);
    }

    /** Work on one item of a slice, with the worker's own state. */
    interface ItemWork<S> {
        void run(S state, int index);
    }

    /** Work on one batch, with the worker's own state; returns false when the whole feed must stop (bad input). */
    interface BatchWork<S, B> {
        boolean run(S state, B batch);
    }

    /** What the reader thread runs: hands batches to {@link Handoff#put} until done or {@link Handoff#stopped}. */
    interface Producer<B> {
        void produce(Handoff<B> out) throws IOException, InterruptedException;
    }

    /** Runs {@code work} over {@code [0, n)}, one contiguous slice per worker, with no state and no progress. */
    void slices(int n, IntConsumer work) {
        slices(n, () -> null, Progress.NONE, (state, i) -> work.accept(i));
    }

    /**
     * Runs {@code work} over {@code [0, n)}, one contiguous slice per worker, each worker with the state
     * {@code state} makes; reports every {@value #REPORT_EVERY} items done to {@code progress}.
     *
     * @return the workers' states, in worker order (so slices merge in index order)
     */
    <S> List<S> slices(int n, Supplier<S> state, Progress progress, ItemWork<S> work) {
        return run(state, (w, s) -> {
            int from = (int) ((long) n * w / size);
            int to = (int) ((long) n * (w + 1) / size);
            int sinceReport = 0;
            for (int i = from; i < to; i++) {
                work.run(s, i);
                if (++sinceReport == REPORT_EVERY) {
                    progress.advance(sinceReport);
                    sinceReport = 0;
                }
            }
            progress.advance(sinceReport);
        });
    }

    /**
     * Runs {@code producer} on a reader thread and {@code work} on every batch it hands over, on the
     * workers. Once a batch's work returns false or fails, or the reader fails, the feed stops: the
     * reader stops reading, the workers drain what is queued without working on it, and the failure
     * is rethrown here (a worker's before the reader's).
     *
     * @return the workers' states, in worker order
     * @throws IOException as the reader threw it
     */
    <S, B> List<S> feed(Producer<B> producer, Supplier<S> state, BatchWork<S, B> work) throws IOException {
        Handoff<B> handoff = new Handoff<>(2 * size + 2);
        Thread reader = Thread.ofPlatform().name("simulate-reader").unstarted(() -> {
            try {
                producer.produce(handoff);
            } catch (IOException | RuntimeException e) {
                handoff.readerFailed(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime());
                handoff.end(size);
            }
        });
        reader.start();
        List<S> states;
        try {
            states = run(state, (w, s) -> {
                B batch;
                while ((batch = handoff.take()) != null) {
                    if (handoff.stopped()) {
                        continue; // drain, so the reader is never blocked
                    }
                    try {
                        if (!work.run(s, batch)) {
                            handoff.stop();
                        }
                    } catch (RuntimeException e) {
                        handoff.workerFailed(e); // rethrown below once every thread has stopped
                    }
                }
            });
        } finally {
            handoff.stop();
            handoff.awaitReader(reader);
        }
        handoff.rethrow();
        return states;
    }

    private interface Work<S> {
        void run(int worker, S state);
    }

    /** Runs {@code work} on {@link #size} platform threads and waits for all; a worker's failure is rethrown. */
    private <S> List<S> run(Supplier<S> state, Work<S> work) {
        Object[] states = new Object[size];
        Thread[] threads = new Thread[size];
        Throwable[] failure = new Throwable[1];
        for (int w = 0; w < size; w++) {
            int id = w;
            threads[w] = Thread.ofPlatform().name("simulate-worker-" + w).unstarted(() -> {
                try {
                    S s = state.get();
                    states[id] = s;
                    work.run(id, s);
                } finally {
                    cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime());
                }
            });
            threads[w].setUncaughtExceptionHandler((t, e) -> {
                synchronized (failure) {
                    if (failure[0] == null) {
                        failure[0] = e;
                    }
                }
            });
            threads[w].start();
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (failure) {
            switch (failure[0]) {
                case null -> {}
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new IllegalStateException("a simulation worker failed", failure[0]);
            }
        }
        @SuppressWarnings("unchecked")
        List<S> out = (List<S>) new ArrayList<>(Arrays.asList(states));
        return out;
    }
}
