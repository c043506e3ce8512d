package dev.clearance.simulate;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bounded queue between one reader thread and the workers of a {@link WorkerPool#feed}, and
 * the first failure on either side. Bounded, so memory holds a few batches, never the input.
 */
final class Handoff<B> {
    /** One per worker after the last batch: that worker is done. */
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Object lock = new Object();
    private RuntimeException workerFailure;
    private Exception readerFailure;

    Handoff(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Hands a batch to the workers, waiting while the queue is full. */
    void put(B batch) throws InterruptedException {
        queue.put(batch);
    }

    /** Whether the feed has stopped (bad input or a failure): the reader stops reading, workers stop working. */
    boolean stopped() {
        return stopped.get();
    }

    void stop() {
        stopped.set(true);
    }

    /** The next batch, or {@code null} when this worker is done (or interrupted). */
    @SuppressWarnings("unchecked")
    B take() {
        try {
            Object o = queue.take();
            return o == END ? null : (B) o;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** After the last batch: tells each of the {@code workers} it is done. */
    void end(int workers) {
        boolean interrupted = false;
        for (int i = 0; i < workers; i++) {
            while (true) {
                try {
                    queue.put(END);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    void workerFailed(RuntimeException e) {
        synchronized (lock) {
            if (workerFailure == null) {
                workerFailure = e;
            }
        }
        stop();
    }

    void readerFailed(Exception e) {
        synchronized (lock) {
            readerFailure = e;
        }
        stop();
    }

    /**
     * Waits for the reader to finish. The feed has stopped; should the workers have left early (an
     * error or an interrupt), what is queued is dropped so the reader is never blocked on a full queue.
     */
    void awaitReader(Thread reader) {
        boolean interrupted = false;
        while (reader.isAlive()) {
            queue.clear();
            try {
                reader.join(10);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Throws the first worker failure, else the reader's. */
    void rethrow() throws IOException {
        synchronized (lock) {
            if (workerFailure != null) {
                throw workerFailure;
            }
            switch (readerFailure) {
                case null -> {}
                case IOException e -> throw e;
                case RuntimeException e -> throw e;
                default -> throw new IllegalStateException(readerFailure);
            }
        }
    }
}
