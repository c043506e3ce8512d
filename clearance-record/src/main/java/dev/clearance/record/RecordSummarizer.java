package dev.clearance.record;

import dev.clearance.log.search.Summarizer;
import dev.clearance.log.search.Summary;
import java.util.List;

/**
 * Where the log meets the record format: the log's search index and evidence bundles read an
 * entry's time and fields ({@link EntrySummary}) through this, and only the record format knows what
 * an entry means. The CLI's log commands and the console use this one.
 */
public enum RecordSummarizer implements Summarizer {
    INSTANCE;

    @Override
    public List<String> fields() {
        return EntrySummary.FIELDS;
    }

    @Override
    public Summary summarize(byte[] entry) {
        EntrySummary s = EntrySummary.of(entry);
        return new Summary(s.time(), s.fields());
    }
}
