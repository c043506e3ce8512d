package dev.clearance.log.search;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the search index keeps of one entry: when it happened and the values of the index's
 * fields, in the order {@link Summarizer#fields()} names them.
 *
 * @param time   the entry's time; {@link Instant#EPOCH} for an entry without one
 * @param values one value per field, empty when the entry lacks it
 */
public record Summary(Instant time, List<String> values) {
    public Summary {
        Objects.requireNonNull(time, "time");
        values = List.copyOf(values);
    }
}
