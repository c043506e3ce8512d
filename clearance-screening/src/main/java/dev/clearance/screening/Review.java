package dev.clearance.screening;

import java.time.Instant;

/**
 * A reviewer's recorded verdict on one potential match of one principal. It holds while the
 * listed entry ({@code entryHash}) and the principal's screened data ({@code subjectHash}) are
 * what they were when it was made.
 */
public record Review(
        long id,
        String principalId,
        String list,
        String entityId,
        String entryHash,
        String subjectHash,
        ReviewVerdict verdict,
        String reason,
        String reviewer,
        Instant reviewedAt) {}
