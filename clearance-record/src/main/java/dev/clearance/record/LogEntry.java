package dev.clearance.record;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * An entry of the decision record: one line of canonical JSON whose bytes are exactly what the log
 * hashes and what {@code clearance log entries} prints. A decision, a change to the directive set or
 * a screening review, so the record shows when each policy version became active, every decision
 * made under it, and every verdict on a screening match.
 */
public sealed interface LogEntry permits DecisionEntry, PolicyChangeEntry, ScreeningReviewEntry {
    /**
     * The most bytes one entry may have: the log length-prefixes entries with 16 bits in its tile
     * entry bundles (C2SP tlog-tiles), so it refuses anything longer.
     */
    int MAX_BYTES = 65_535;

    /** When the decision was made, the change took effect or the review was made. */
    Instant time();

    /** The canonical JSON line, without a line feed. */
    String toJson();

    default byte[] bytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }
}
