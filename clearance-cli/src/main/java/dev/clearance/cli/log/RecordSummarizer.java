package dev.clearance.cli.log;

import dev.clearance.log.search.Summarizer;
import dev.clearance.log.search.Summary;
import dev.clearance.record.EntrySummary;
import java.util.List;

/**
 * Where the log meets the record format: the log's search index and evidence bundles read an
 * entry's time and fields through this, and only the record format knows what an entry means.
 */
enum RecordSummarizer implements Summarizer {
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
