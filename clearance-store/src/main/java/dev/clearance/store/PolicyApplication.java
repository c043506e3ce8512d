package dev.clearance.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A node's proof that it put a policy version in force: which, when, and how many entries its
 * decision log held at that moment (the node's {@code policy_applied} entry follows them, and
 * every decision after it carries this version).
 *
 * @param policyNumber  the stored policy version's number ({@link PolicyVersions#NONE}: no policy yet)
 * @param policyVersion its content hash, as decisions report it
 */
public record PolicyApplication(String node, long policyNumber, String policyVersion, Instant appliedAt, long logSize) {
    public PolicyApplication {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(appliedAt, "appliedAt");
        if (policyNumber < 0 || logSize < 0) {
            throw new IllegalArgumentException(
                    "policy number and log size are never negative: " + policyNumber + ", " + logSize);
        }
    }
}
