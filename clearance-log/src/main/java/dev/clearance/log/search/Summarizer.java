package dev.clearance.log.search;

import java.util.List;

/**
 * Reads from an entry what the search index keeps: its time and a few field values. The log
 * stores bytes and knows nothing of what they mean; whoever writes the entries supplies this.
 */
public interface Summarizer {
    /** The names of the searchable fields, at most {@value SearchIndex#MAX_FIELDS}, the same for every entry. */
    List<String> fields();

    /**
     * The summary of {@code entry}, one value per field. Must not throw: bytes it cannot read
     * summarise to {@link java.time.Instant#EPOCH} and empty values, so one odd entry never stops a search.
     */
    Summary summarize(byte[] entry);
}
