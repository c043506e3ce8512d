package dev.clearance.gateway;

import dev.clearance.core.Policy;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.PolicyVersions;
import dev.clearance.store.StoredPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The compiled policy every decision reads, with the stored policy version it is. A change replaces
 * the whole immutable snapshot in one atomic swap, so a reader sees the old policy or the new one,
 * never half of each; listeners (the live-stream registry, the fleet report) run after the swap, on
 * the thread that made it.
 *
 * <p>Only forward: a version is put in force only when it is newer than the one in force, so the
 * change feed delivering version 5 late cannot undo version 6 that this node's admin API has just
 * activated and put in force itself.
 */
public final class ActivePolicy {
    /**
     * A policy and the stored version it was compiled from, read together.
     *
     * @param number      the stored version's number ({@link PolicyVersions#NONE}: the store has none)
     * @param activatedAt when it was activated, null for none
     */
    record Applied(long number, Policy policy, Instant activatedAt) {
        Applied {
            Objects.requireNonNull(policy, "policy");
        }

        /** The store's policy in force, or the empty policy on a store that never had one. */
        static Applied of(Optional<StoredPolicy> stored) {
            return stored.map(s -> of(s.version(), s.policy()))
                    .orElseGet(() -> new Applied(PolicyVersions.NONE, Policy.empty(), null));
        }

        static Applied of(PolicyVersion version, Policy policy) {
            return new Applied(version.number(), policy, version.activatedAt());
        }
    }

    private volatile Applied current;
    private final List<Consumer<Applied>> listeners = new CopyOnWriteArrayList<>();

    ActivePolicy(Applied initial) {
        this.current = Objects.requireNonNull(initial, "initial policy");
    }

    public Policy current() {
        return current.policy();
    }

    /** The number of the stored policy version in force. */
    public long number() {
        return current.number();
    }

    /** The policy in force with its stored version, as one consistent value. */
    Applied applied() {
        return current;
    }

    /**
     * Makes {@code next} the policy for every new decision and tells the listeners, unless the version
     * in force is as new or newer.
     *
     * @return whether {@code next} is now in force
     */
    boolean advance(Applied next) {
        Objects.requireNonNull(next, "policy");
        synchronized (this) {
            if (next.number() <= current.number()) {
                return false;
            }
            current = next;
        }
        for (Consumer<Applied> listener : listeners) {
            listener.accept(next);
        }
        return true;
    }

    void onChange(Consumer<Applied> listener) {
        listeners.add(listener);
    }
}
