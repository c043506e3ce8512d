package dev.clearance.classify;

import java.util.List;
import java.util.Map;

/**
 * The answer for one {@link Input}: the capabilities found, each with its score and the part that
 * triggered it; the score of every capability (found or not); which classifier said so; and what
 * was not looked at. This is what the decision log records.
 *
 * @param classifier the classifier id (embedding model and head kind)
 * @param version the classifier version: a content hash of the taxonomy, exemplars and thresholds
 * @param findings capabilities whose score reached their threshold, highest score first
 * @param scores every capability's score in [0, 1]: the maximum over parts and chunks
 * @param skipped parts that are not text and were not classified
 * @param complete false when the chunk cap left text unread (a very long input); a caller that
 *     must fail closed treats an incomplete classification as unknown, not as clean
 * @param chunks how many chunks were classified
 */
public record Classification(
        String classifier,
        String version,
        List<Finding> findings,
        Map<String, Double> scores,
        List<Skipped> skipped,
        boolean complete,
        int chunks) {
    public Classification {
        findings = List.copyOf(findings);
        scores = Map.copyOf(scores);
        skipped = List.copyOf(skipped);
    }

    /** The ids of the capabilities found. */
    public List<String> capabilities() {
        return findings.stream().map(Finding::capability).toList();
    }

    /**
     * A capability found.
     *
     * @param capability the capability id (lower case)
     * @param score the score in [0, 1] that reached {@code threshold}
     * @param threshold the threshold in force for this capability
     * @param trigger where in the input the score was reached
     */
    public record Finding(String capability, double score, double threshold, Trigger trigger) {}

    /**
     * Where a score was reached: the part's index in {@link Input#parts()}, its role, and the
     * chunk's character offsets [start, end) in that part's text. A score reached on the latest
     * user turn read together with the turn before it has {@code withPrevious} set, and offsets
     * into the latest user turn.
     */
    public record Trigger(int part, Role role, int start, int end, boolean withPrevious) {}

    /** A part that was not classified because it is not text. */
    public record Skipped(int part, Role role, String kind) {}
}
