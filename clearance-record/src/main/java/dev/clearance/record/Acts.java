package dev.clearance.record;

import java.time.Instant;
import java.util.Objects;

/**
 * What the entries of a person's act (a policy change, a screening review) share: they begin with
 * what was done, then {@code time}, {@code node}, {@code by} (who did it, never blank) and
 * {@code why}, in that order.
 */
final class Acts {
    private Acts() {}

    /** Checks the shared fields of an act; {@code what} names it in the error ("a policy change"). */
    static void require(String what, Instant time, String node, String by, String why) {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(why, "why");
        if (by.isBlank()) {
            throw new IllegalArgumentException(what + " records who made it: 'by' is blank");
        }
    }

    /** Begins the entry's JSON with the shared fields; the caller writes the rest and ends it. */
    static CanonicalJson begin(String kindField, String kind, Instant time, String node, String by, String why) {
        return new CanonicalJson()
                .begin()
                .string(kindField, kind)
                .string("time", time.toString())
                .string("node", node)
                .string("by", by)
                .string("why", why);
    }
}
