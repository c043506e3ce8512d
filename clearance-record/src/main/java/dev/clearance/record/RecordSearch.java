package dev.clearance.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.log.LogView;
import dev.clearance.log.search.SearchIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds entries of the decision record: the log's search index narrows by time, principal, model and
 * outcome; a directive is then looked for in each candidate entry (a decision's determining or shadow
 * directives, a policy change's directive versions). What {@code clearance log search} and the
 * console's decision log ask.
 */
public final class RecordSearch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordSearch() {}

    /**
     * What to find; a {@code null} or empty criterion matches everything.
     *
     * @param outcome   {@code allow}, {@code deny} or {@code policy} (policy changes and screening reviews)
     * @param directive a directive id
     */
    public record Criteria(Instant from, Instant to, String principal, String model, String outcome, String directive) {
        public Criteria {
            if (outcome != null && !outcome.isEmpty() && !outcome.matches("allow|deny|policy")) {
                throw new IllegalArgumentException("decision '" + outcome + "': expected allow, deny or policy");
            }
        }

        /** The index's part of the query. */
        SearchIndex.Query query() {
            Map<String, String> fields = new HashMap<>();
            put(fields, "principal", principal);
            put(fields, "model", model);
            put(fields, "outcome", outcome);
            return new SearchIndex.Query(from, to, fields);
        }

        private static void put(Map<String, String> m, String k, String v) {
            if (v != null && !v.isEmpty()) {
                m.put(k, v);
            }
        }

        /** The criteria in words, e.g. {@code principal=chen directive=dir-7}, for a bundle's {@code selection}. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            for (String[] kv : new String[][] {
                {"principal", principal}, {"model", model}, {"decision", outcome}, {"directive", directive}
            }) {
                if (kv[1] != null && !kv[1].isEmpty()) {
                    parts.add(kv[0] + "=" + kv[1]);
                }
            }
            return String.join(" ", parts);
        }
    }

    /** Entries matching {@code c}, oldest first, at most {@code limit}. */
    public static List<SearchIndex.Hit> search(LogView view, Path logDir, Criteria c, int limit) throws IOException {
        SearchIndex index = new SearchIndex(logDir, RecordSummarizer.INSTANCE);
        if (c.directive() == null || c.directive().isEmpty()) {
            return index.search(view, c.query(), limit);
        }
        List<SearchIndex.Hit> out = new ArrayList<>();
        for (SearchIndex.Hit h : index.search(view, c.query(), Integer.MAX_VALUE)) {
            if (names(h.entry(), c.directive())) {
                out.add(h);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /** Whether the entry names the directive: as determining or shadow directive, or as a changed version. */
    static boolean names(byte[] entry, String directive) {
        JsonNode n;
        try {
            n = JSON.readTree(entry);
        } catch (IOException e) {
            return false;
        }
        if (n == null || !n.isObject()) {
            return false;
        }
        for (String field : List.of("directives", "shadow")) {
            for (JsonNode d : n.path(field)) {
                String s = d.asText();
                if (s.equals(directive) || s.startsWith(directive + "@")) {
                    return true;
                }
            }
        }
        return false;
    }
}
