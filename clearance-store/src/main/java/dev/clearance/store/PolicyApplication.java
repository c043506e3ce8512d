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
 * @param logSize       entries in the node's decision log once its {@code policy_applied} entry was durable;
 *                      -1 when the log could not record it (the node says so in its own log)
 */
public record PolicyApplication(String node, long policyNumber, String policyVersion, Instant appliedAt, long logSize) {
    public PolicyApplication {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(appliedAt, "appliedAt");
        if (policyNumber < 0 || logSize < -1) {
            throw new IllegalArgumentException(
                    "a policy number is never negative, a log size is -1 (unrecorded) or more: " + policyNumber + ", "
                            + logSize);
        }
    }
}
