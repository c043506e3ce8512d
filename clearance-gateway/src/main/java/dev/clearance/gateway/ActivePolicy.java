package dev.clearance.gateway;

import dev.clearance.core.Policy;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The compiled policy every decision reads, with the number of the stored policy version it is. A
 * change replaces the whole immutable snapshot in one atomic swap, so a reader sees the old policy or
 * the new one, never half of each; listeners (the live-stream registry) run after the swap, on the
 * thread that made it.
 *
 * <p>Only forward: a version is put in force only when it is newer than the one in force, so the
 * change feed delivering version 5 late cannot undo version 6 that this node's admin API has just
 * activated and put in force itself.
 */
public final class ActivePolicy {
    /** A policy and the number of the stored version it was compiled from, read together. */
    record Applied(long number, Policy policy) {}

    private volatile Applied current;
    private final List<Consumer<Policy>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param number  the stored policy version's number ({@code PolicyVersions.NONE} for none)
     * @param initial its compiled policy
     */
    public ActivePolicy(long number, Policy initial) {
        this.current = new Applied(number, Objects.requireNonNull(initial, "initial policy"));
    }

    public Policy current() {
        return current.policy();
    }

    /** The number of the stored policy version in force. */
    public long number() {
        return current.number();
    }

    /** The policy in force with its number, as one consistent pair. */
    Applied applied() {
        return current;
    }

    /**
     * Makes {@code next} (stored policy version {@code number}) the policy for every new decision and
     * tells the listeners, unless the version in force is as new or newer.
     *
     * @return whether {@code next} is now in force
     */
    public boolean advance(long number, Policy next) {
        Objects.requireNonNull(next, "policy");
        synchronized (this) {
            if (number <= current.number()) {
                return false;
            }
            current = new Applied(number, next);
        }
        for (Consumer<Policy> listener : listeners) {
            listener.accept(next);
        }
        return true;
    }

    public void onChange(Consumer<Policy> listener) {
        listeners.add(listener);
    }
}
