package dev.clearance.store;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *     public void onFailure(Throwable failure) { ... mark the node not ready ... }
 *     public void onRecovered() { ... ready again ... }
 * });
 * }</pre>
 *
 * <p>Fail closed: when the store cannot be read, or the listener cannot apply a batch, the listener
 * hears {@link Listener#onFailure} (and again on every retry, once a second) instead of silence, so
 * the node can stop serving rather than enforce a policy it can no longer confirm is current. The
 * follower survives every failure but a {@link VirtualMachineError} (after which the listener has
 * heard of it and never hears {@link Listener#onRecovered}); it resumes from the last change the
 * listener accepted, so a batch whose delivery threw is delivered again. {@link #currentAsOf()}
 * says when the node last knew it was current, for a bound on how stale it may be.
 *
 * <p>It keeps one {@link ChangeFeed.Subscription} open while it follows, so on PostgreSQL a change
 * reaches the listener in the announcement that carries it, with no poll interval in the path.
 */
public final class ChangeFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);
    private static final Duration WAIT = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Store store;
    private final Listener listener;
    private final Thread thread;
    private volatile long position;
    private volatile long currentAsOf;
    private volatile boolean running = true;

    /** Receives changes in commit order, on the follower's thread. */
    public interface Listener {
        /**
         * Changes after the last delivered one, oldest first; never empty. When this throws, the
         * follower reports the failure and delivers the same changes again on the next attempt.
         */
        void onChanges(List<Change> changes);

        /**
         * Following failed: the store could not be read, or {@link #onChanges} threw. The follower
         * retries every second; until {@link #onRecovered} this node cannot confirm it is current.
         */
        default void onFailure(Throwable failure) {}

        /** The store was read (and any changes delivered) again after one or more failures. */
        default void onRecovered() {}
    }

    private ChangeFollower(Store store, long after, Listener listener) {
        this.store = store;
        this.listener = listener;
        this.position = after;
        // The caller read the feed position (and then the state it follows) just before starting.
        this.currentAsOf = System.nanoTime();
        // A platform thread of its own: a new policy must not wait behind the virtual threads serving calls.
        this.thread = Thread.ofPlatform()
                .name("clearance-change-follower")
                .daemon(true)
                .unstarted(this::run);
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

    /**
     * When ({@link System#nanoTime()}) this node last knew it was current: it had read the store (or
     * heard an announcement in sequence) and its listener had accepted every change up to then. A
     * node that cannot confirm for long enough must stop trusting what it enforces (fail closed);
     * starting counts as confirmed, since the caller has just read the store.
     */
    public long currentAsOf() {
        return currentAsOf;
    }

    private void run() {
        boolean failing = false;
        ChangeFeed.Subscription subscription = null;
        while (running) {
            try {
                if (subscription == null) {
                    subscription = store.changes().subscribe();
                }
                List<Change> changes = subscription.next(position, WAIT);
                if (!running) {
                    break;
                }
                if (!changes.isEmpty()) {
                    listener.onChanges(changes);
                    position = changes.get(changes.size() - 1).sequence();
                }
                currentAsOf = subscription.currentAsOf();
                if (failing) {
                    failing = false;
                    listener.onRecovered();
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break; // closed
                }
            } catch (Throwable t) {
                if (!running) {
                    break;
                }
                failing = true;
                // A subscription that failed may hold a broken connection: start a new one.
                subscription = closeQuietly(subscription);
                report(t);
                if (t instanceof VirtualMachineError fatal) {
                    // Out of memory or a broken VM: retrying could only make it worse. The listener
                    // has heard of it, so the node stays not ready.
                    throw fatal;
                }
                try {
                    Thread.sleep(RETRY);
                } catch (InterruptedException ie) {
                    if (!running) {
                        break;
                    }
                }
            }
        }
        closeQuietly(subscription);
    }

    private static ChangeFeed.Subscription closeQuietly(ChangeFeed.Subscription subscription) {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a failed change-feed subscription", e);
            }
        }
        return null;
    }

    private void report(Throwable failure) {
        try {
            listener.onFailure(failure);
        } catch (Throwable t) {
            t.addSuppressed(failure);
            LOG.error("the change follower's listener failed to hear of a failure to follow the store", t);
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
