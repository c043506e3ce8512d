package dev.clearance.record;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The log entry of a change to the directive set: an upload, a withdrawal or a lifecycle step
 * (e.g. shadow to enforce), with who made it, why, and the policy version that results. With
 * these in the log, every decision can be placed after the change that produced its policy version.
 * Canonical JSON fields, in order: {@code change}, {@code time}, {@code node}, {@code by}, {@code why},
 * {@code directives}, {@code step}, {@code policy_version}.
 *
 * <p>Logs written by earlier versions also hold screening reviews in this shape
 * ({@code "change":"screening_review"}, the verdict packed into {@code step}); reviews are now
 * {@link ScreeningReviewEntry}s, and the old ones still read back as policy changes.
 *
 * @param directives ids of the directives the change touched
 * @param step       the lifecycle step (e.g. {@code shadow->enforce}); empty for uploads and withdrawals
 */
public record PolicyChangeEntry(
        Change change,
        Instant time,
        String node,
        String by,
        String why,
        List<String> directives,
        String step,
        String policyVersion)
        implements LogEntry {

    /** What happened to the directive set. */
    public enum Change {
        DIRECTIVE_UPLOADED,
        DIRECTIVE_WITHDRAWN,
        LIFECYCLE_STEP,
        /** A policy version took effect on the recording node (made by the CLI, lifecycle or another node). */
        POLICY_ACTIVATED,
        /**
         * The recording node put a policy version in force (at start, or when it changed): its proof of
         * application, written after the swap; {@code by} is the node, {@code step} the stored version's
         * number ({@code policy 7}). The log's size once this entry is durable is published in the store.
         */
        POLICY_APPLIED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public PolicyChangeEntry {
        Objects.requireNonNull(change, "change");
        Acts.require("a policy change", time, node, by, why);
        directives = List.copyOf(directives);
        step = step == null ? "" : step;
        Objects.requireNonNull(policyVersion, "policyVersion");
    }

    @Override
    public String toJson() {
        return Acts.begin("change", change.wireName(), time, node, by, why)
                .strings("directives", directives)
                .string("step", step)
                .string("policy_version", policyVersion)
                .end()
                .toString();
    }
}
