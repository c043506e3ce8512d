package dev.clearance.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One node as the store last heard from it.
 *
 * @param startedAt    when it last started
 * @param lastSeen     its last heartbeat (its own clock)
 * @param applied      the policy version it enforces, once it has recorded one
 * @param logKey       its decision log's verifier key, or empty
 * @param logDirectory where its decision log is, or empty
 */
public record FleetNode(
        String node,
        Instant startedAt,
        Instant lastSeen,
        Optional<PolicyApplication> applied,
        String logKey,
        String logDirectory) {
    public FleetNode {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(lastSeen, "lastSeen");
        applied = applied == null ? Optional.empty() : applied;
        logKey = logKey == null ? "" : logKey;
        logDirectory = logDirectory == null ? "" : logDirectory;
    }
}
