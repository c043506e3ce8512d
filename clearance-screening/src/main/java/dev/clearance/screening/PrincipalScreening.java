package dev.clearance.screening;

import dev.clearance.core.Screening;
import java.time.Instant;
import java.util.List;

/**
 * The stored screening result of one principal: what directives see ({@link #screening()}) and
 * the matches behind it, each with its review state.
 *
 * @param subjectHash hash of the screened data (kind and name); a change re-opens reviews
 * @param listsHash   hash of the active list versions it was computed against
 */
public record PrincipalScreening(
        String principalId,
        String subjectHash,
        String listsHash,
        Screening screening,
        List<Match> matches,
        Instant screenedAt) {

    public PrincipalScreening {
        matches = List.copyOf(matches);
    }

    /** Where a match stands after review. */
    public enum State {
        /** At or above the threshold, not reviewed (or its review no longer holds). */
        POTENTIAL,
        /** A reviewer confirmed it. */
        CONFIRMED,
        /** A reviewer cleared it as a false positive. */
        FALSE_POSITIVE,
        /** Below the threshold: kept for the record, does not count. */
        BELOW_THRESHOLD
    }

    /**
     * One listed party the principal resembles.
     *
     * @param reviewId the review that decided {@code state}, or 0
     */
    public record Match(
            String list,
            String entityId,
            String name,
            double score,
            String entryHash,
            State state,
            String explanation,
            long reviewId) {}
}
