package dev.clearance.store;

import java.time.Duration;
import java.util.List;

/**
 * The store's changes in commit order. A gateway node keeps the last sequence it applied and asks
 * for what came after it; a {@link Subscription} waits until something does (PostgreSQL:
 * LISTEN/NOTIFY, each announcement carrying its change; SQLite: polling).
 */
public interface ChangeFeed {

    /** The sequence number of the latest change, 0 when there is none. */
    long lastSequence();

    /** Changes with a sequence greater than {@code after}, oldest first, at most {@code limit}. */
    List<Change> since(long after, int limit);

    /**
     * Starts listening for changes, until closed. A node keeps one open for as long as it follows
     * the store, so no change waits for a poll interval or a new LISTEN.
     *
     * @throws StoreException when the database cannot be reached
     */
    Subscription subscribe();

    /**
     * Waits up to {@code timeout} for changes after {@code after} and returns them (empty when the
     * timeout passed without any): {@link #subscribe} for one wait.
     *
     * @throws StoreException when the database cannot be reached: a node must not mistake a lost
     *                        store for a quiet one
     */
    default List<Change> await(long after, Duration timeout) throws InterruptedException {
        try (Subscription s = subscribe()) {
            return s.next(after, timeout);
        }
    }

    /** A listener on the feed; one thread at a time. */
    interface Subscription extends AutoCloseable {
        /**
         * Changes with a sequence greater than {@code after}, oldest first, waiting up to {@code timeout}
         * for the first (empty when none came). Changes announced with their content and in sequence
         * are returned without reading the table; otherwise, and whenever a wait ends without news,
         * the table is read, which also shows the store is still there.
         *
         * @throws StoreException when the database cannot be reached (the subscription is then
         *                        unusable: close it and subscribe again)
         */
        List<Change> next(long after, Duration timeout) throws InterruptedException;

        /**
         * When ({@link System#nanoTime()}) this subscription last knew it had every committed change
         * up to what {@link #next} returned: the start of its last read of the table, or the arrival
         * of the last announcement it returned.
         */
        long currentAsOf();

        @Override
        void close();
    }
}
