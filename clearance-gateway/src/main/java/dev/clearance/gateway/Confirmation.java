package dev.clearance.gateway;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether this node can confirm that the policy and keys it enforces are the store's current ones.
 * The change follower confirms every time it reads the store (at least once a second while the store
 * answers); a node that has not confirmed for {@code max_staleness} may be missing a directive issued
 * elsewhere or a revoked key, so it refuses model calls (503 with {@code Retry-After}) and reports not
 * ready, until it confirms again. Fail closed: a lost store never grants access.
 *
 * <p>{@code store.on_unreachable: serve-cached} is the operator's opt-out: the node keeps answering
 * from what it last confirmed, and says so loudly ({@link FleetMember} logs it every few seconds).
 *
 * <p>Pure over two clocks ({@code System.nanoTime()} in production), so tests drive it with their own.
 */
final class Confirmation {
    private final LongSupplier currentAsOf;
    private final LongSupplier nanoTime;
    private final Duration maxStaleness;
    private final boolean serveCached;

    /**
     * @param currentAsOf when the node last confirmed, in {@code nanoTime}'s terms
     * @param nanoTime    the monotonic clock
     */
    Confirmation(LongSupplier currentAsOf, LongSupplier nanoTime, Duration maxStaleness, boolean serveCached) {
        this.currentAsOf = currentAsOf;
        this.nanoTime = nanoTime;
        this.maxStaleness = maxStaleness;
        this.serveCached = serveCached;
    }

    /** How long ago the node last confirmed its policy with the store. */
    Duration age() {
        return Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - currentAsOf.getAsLong()));
    }

    /** Whether the node confirmed within {@code max_staleness}. */
    boolean confirmed() {
        return age().compareTo(maxStaleness) <= 0;
    }

    /** Whether model calls are refused now: unconfirmed, and the operator did not choose to serve cached. */
    boolean refusing() {
        return !serveCached && !confirmed();
    }

    boolean serveCached() {
        return serveCached;
    }

    Duration maxStaleness() {
        return maxStaleness;
    }
}
