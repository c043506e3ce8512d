package dev.clearance.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Follows the store's {@link ChangeFeed} on a background thread and hands every batch of changes
 * to a listener, in order. A gateway node uses it to reload the policy on
 * {@link Change.Kind#POLICY_ACTIVATED}, drop cached principals and forget revoked keys:
 *
 * <pre>{@code
 * long start = store.changes().lastSequence();          // read before loading the current state
 * StoredPolicy policy = StoredPolicy.active(store).orElseThrow();
 * ChangeFollower follower = ChangeFollower.start(store, start, new ChangeFollower.Listener() {
 *     public void onChanges(List<Change> changes) { ... }
 *     public void onFailure(StoreException e) { ... mark the node not ready ... }
 * });
 * }</pre>
 *
 * <p>Fail closed: when the store cannot be read the listener hears {@link Listener#onFailure} (and
 * again on every retry, once a second) instead of silence, so the node can stop serving rather than
 * enforce a policy it can no longer confirm is current. It resumes from the last delivered change.
 */
public final class ChangeFollower implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Store store;
    private final Listener listener;
    private final Thread thread;
    private volatile long position;
    private volatile boolean running = true;

    /** Receives changes in commit order, on the follower's thread. */
    public interface Listener {
        /** Changes after the last delivered one, oldest first; never empty. */
        void onChanges(List<Change> changes);

        /** The store could not be read; the follower retries every second. */
        default void onFailure(StoreException e) {}
    }

    private ChangeFollower(Store store, long after, Listener listener) {
        this.store = store;
        this.listener = listener;
        this.position = after;
        this.thread = Thread.ofVirtual().name("clearance-change-follower").unstarted(this::run);
    }

    /** Starts following changes with a sequence greater than {@code after}. */
    public static ChangeFollower start(Store store, long after, Listener listener) {
        ChangeFollower follower =
                new ChangeFollower(Objects.requireNonNull(store), after, Objects.requireNonNull(listener));
        follower.thread.start();
        return follower;
    }

    /** The sequence number of the last change delivered (or the starting point). */
    public long position() {
        return position;
    }

    private void run() {
        while (running) {
            try {
                List<Change> changes = store.changes().await(position, WAIT);
                if (!changes.isEmpty() && running) {
                    listener.onChanges(changes);
                    position = changes.get(changes.size() - 1).sequence();
                }
            } catch (StoreException e) {
                if (!running) {
                    return;
                }
                listener.onFailure(e);
                try {
                    Thread.sleep(RETRY);
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops following and waits for the thread to end. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
