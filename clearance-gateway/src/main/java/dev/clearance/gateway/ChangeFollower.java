package dev.clearance.gateway;

import dev.clearance.core.Policy;
import dev.clearance.store.Change;
import dev.clearance.store.Store;
import dev.clearance.store.StoredPolicy;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the store's change feed so that changes made anywhere (another gateway node, the CLI) reach
 * this node: a new policy version is compiled and swapped in, and a principal or key change forgets
 * the cached callers; both re-decide the streams in flight. Changes this node made itself arrive too
 * and are no-ops (same policy version).
 */
final class ChangeFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);
    private static final Duration WAIT = Duration.ofMillis(500);

    private final Store store;
    private final ActivePolicy policy;
    private final Callers callers;
    private final LiveStreams streams;
    private final Thread thread;
    private volatile boolean running = true;

    ChangeFollower(Store store, ActivePolicy policy, Callers callers, LiveStreams streams) {
        this.store = store;
        this.policy = policy;
        this.callers = callers;
        this.streams = streams;
        long start = store.changes().lastSequence();
        this.thread = Thread.ofVirtual().name("clearance-change-follower").start(() -> follow(start));
    }

    private void follow(long after) {
        long last = after;
        while (running) {
            try {
                List<Change> changes = store.changes().await(last, WAIT);
                if (changes.isEmpty()) {
                    continue;
                }
                apply(changes);
                last = changes.get(changes.size() - 1).sequence();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The store is unreachable: keep enforcing the last known policy and retry.
                LOG.error("cannot read the store's change feed; retrying", e);
                sleepQuietly();
            }
        }
    }

    void apply(List<Change> changes) {
        boolean callersChanged = false;
        boolean policyChanged = false;
        for (Change c : changes) {
            switch (c.kind()) {
                case Change.Kind.POLICY_ACTIVATED -> policyChanged = true;
                case Change.Kind.PRINCIPAL_PUT, Change.Kind.PRINCIPAL_DELETED, Change.Kind.PRINCIPALS_IMPORTED,
                        Change.Kind.KEY_REVOKED -> callersChanged = true;
                default -> { }
            }
        }
        if (callersChanged) {
            callers.forget();
        }
        if (policyChanged) {
            try {
                Policy stored = StoredPolicy.active(store).map(StoredPolicy::policy).orElse(Policy.empty());
                if (!stored.version().equals(policy.current().version())) {
                    LOG.info("policy version {} from the store is now in force", stored.version());
                    policy.replace(stored); // re-decides the streams
                    return;
                }
            } catch (Exception e) {
                LOG.error("the store's new policy does not compile here; the previous policy stays in force", e);
            }
        }
        if (callersChanged) {
            streams.redecideAll();
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
