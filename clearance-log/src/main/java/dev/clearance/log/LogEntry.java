package dev.clearance.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * An entry of the decision log: one line of canonical JSON whose bytes are exactly what is hashed
 * and what {@code clearance log entries} prints. Either a decision or a policy change, so the log
 * shows when each policy version became active and every decision made under it.
 */
public sealed interface LogEntry permits DecisionEntry, PolicyChangeEntry {
    /** When the decision was made or the change took effect. */
    Instant time();

    /** The canonical JSON line, without a line feed. */
    String toJson();

    default byte[] bytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }
}
