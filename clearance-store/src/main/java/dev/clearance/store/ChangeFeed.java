package dev.clearance.store;

import java.time.Duration;
import java.util.List;

/**
 * The store's changes in commit order. A gateway node keeps the last sequence it applied and asks
 * for what came after it; {@link #await} blocks until something does (PostgreSQL: LISTEN/NOTIFY,
 * SQLite: polling).
 */
public interface ChangeFeed {

    /** The sequence number of the latest change, 0 when there is none. */
    long lastSequence();

    /** Changes with a sequence greater than {@code after}, oldest first, at most {@code limit}. */
    List<Change> since(long after, int limit);

    /**
     * Waits up to {@code timeout} for changes after {@code after} and returns them (empty when the
     * timeout passed without any).
     *
     * @throws StoreException when the database cannot be reached: a node must not mistake a lost
     *                        store for a quiet one
     */
    List<Change> await(long after, Duration timeout) throws InterruptedException;
}
