package dev.clearance.simulate;

import dev.clearance.core.Request;
import java.nio.file.Path;
import java.util.List;

/** Where the simulated requests come from. */
public sealed interface Traffic {
    /**
     * A JSON Lines file of requests in the format {@code clearance decide} reads (blank lines skipped;
     * a request without {@code time} is taken at the start of the run). Streamed: never held in memory.
     */
    record JsonLinesFile(Path path) implements Traffic {}

    /** Requests already in memory (e.g. read back from the decision log). */
    record Requests(List<Request> requests) implements Traffic {
        public Requests {
            requests = List.copyOf(requests);
        }
    }

    /**
     * Requests produced one by one (e.g. read back from the decision log), streamed: a reader thread
     * hands batches to the workers, so memory stays bounded. The iterator may throw an unchecked
     * exception to fail the run.
     */
    record Iterated(Iterable<Request> requests) implements Traffic {}

    /** No traffic: only the population is evaluated. */
    record None() implements Traffic {}
}
