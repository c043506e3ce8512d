package dev.clearance.record;

import java.time.Instant;
import java.util.Objects;

/**
 * The log entry of a screening reviewer's verdict on one potential match of one principal against
 * one listed party. Canonical JSON fields, in order: {@code review} (the verdict, e.g.
 * {@code confirmed} or {@code false_positive}), {@code time}, {@code node}, {@code by} (the reviewer),
 * {@code why} (the reason), {@code principal}, {@code list}, {@code entity}, {@code entry_hash} (of
 * the listed entry as reviewed) and {@code subject_hash} (of the principal's screened data as
 * reviewed): a review holds only while both hashes are what they were, so the record carries them.
 */
public record ScreeningReviewEntry(
        String verdict,
        Instant time,
        String node,
        String by,
        String why,
        String principal,
        String list,
        String entity,
        String entryHash,
        String subjectHash)
        implements LogEntry {

    public ScreeningReviewEntry {
        Objects.requireNonNull(verdict, "verdict");
        Acts.require("a screening review", time, node, by, why);
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(list, "list");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(entryHash, "entryHash");
        Objects.requireNonNull(subjectHash, "subjectHash");
        if (verdict.isBlank()) {
            throw new IllegalArgumentException("a screening review records its verdict: 'verdict' is blank");
        }
    }

    @Override
    public String toJson() {
        return Acts.begin("review", verdict, time, node, by, why)
                .string("principal", principal)
                .string("list", list)
                .string("entity", entity)
                .string("entry_hash", entryHash)
                .string("subject_hash", subjectHash)
                .end()
                .toString();
    }
}
