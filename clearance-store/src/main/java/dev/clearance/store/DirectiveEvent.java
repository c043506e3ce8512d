package dev.clearance.store;

import java.time.Instant;

/**
 * One step in a directive version's history.
 *
 * @param from the status before, or {@code null} when the version was created
 */
public record DirectiveEvent(
        long sequence,
        String directiveId,
        int version,
        DirectiveStatus from,
        DirectiveStatus to,
        String actor,
        String reason,
        Instant at) {}
