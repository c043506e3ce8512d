package dev.clearance.log.search;

import static dev.clearance.log.SampleEntries.SUMMARIZER;
import static dev.clearance.log.SampleEntries.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.log.LogOptions;
import dev.clearance.log.SampleEntries;
import dev.clearance.log.TransparencyLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchIndexTest {
    @TempDir
    Path dir;

    private static List<Long> indexes(List<SearchIndex.Hit> hits) {
        return hits.stream().map(SearchIndex.Hit::index).toList();
    }

    @Test
    void search_finds_exactly_the_entries_whose_fields_match() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            SampleEntries.populate(log);
            SearchIndex index = new SearchIndex(dir, SUMMARIZER);
            var q = new SearchIndex.Query(null, null, Map.of("who", "alice", "what", "m-2", "outcome", "deny"));
            // alice: i % 3 == 0; m-2: i even; deny: i % 5 == 0  ->  i % 30 == 0
            assertThat(indexes(index.search(log.view(), q, 100))).containsExactly(0L, 30L);
        }
    }

    @Test
    void search_by_time_is_inclusive_of_from_and_exclusive_of_to() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            SampleEntries.populate(log);
            var q = SearchIndex.Query.between(T.plusSeconds(600), T.plusSeconds(720));
            assertThat(indexes(new SearchIndex(dir, SUMMARIZER).search(log.view(), q, 100)))
                    .containsExactly(10L, 11L);
        }
    }

    @Test
    void search_stops_at_the_limit_oldest_first() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            SampleEntries.populate(log);
            var q = new SearchIndex.Query(null, null, Map.of("outcome", "deny"));
            assertThat(indexes(new SearchIndex(dir, SUMMARIZER).search(log.view(), q, 3)))
                    .containsExactly(0L, 5L, 10L);
        }
    }

    @Test
    void an_index_of_another_format_or_other_fields_is_rebuilt_not_trusted() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            SampleEntries.populate(log);
            // An index as earlier versions wrote it: 32-byte records without a header.
            Files.write(dir.resolve(SearchIndex.FILE), new byte[50 * 32]);
            var q = new SearchIndex.Query(null, null, Map.of("who", "alice", "what", "m-2", "outcome", "deny"));
            assertThat(indexes(new SearchIndex(dir, SUMMARIZER).search(log.view(), q, 100)))
                    .containsExactly(0L, 30L);
            Summarizer byOutcomeOnly = new Summarizer() {
                @Override
                public List<String> fields() {
                    return List.of("outcome");
                }

                @Override
                public Summary summarize(byte[] entry) {
                    Summary s = SUMMARIZER.summarize(entry);
                    return new Summary(s.time(), List.of(s.values().get(2)));
                }
            };
            assertThat(indexes(new SearchIndex(dir, byOutcomeOnly)
                            .search(log.view(), new SearchIndex.Query(null, null, Map.of("outcome", "deny")), 100)))
                    .containsExactly(0L, 5L, 10L, 15L, 20L, 25L, 30L, 35L, 40L, 45L);
        }
    }

    @Test
    void an_altered_index_can_miss_but_never_invents_a_match() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            SampleEntries.populate(log);
            SearchIndex index = new SearchIndex(dir, SUMMARIZER);
            index.catchUp(log.view());
            byte[] data = Files.readAllBytes(dir.resolve(SearchIndex.FILE));
            // Give entry 1 (bob, allow) the record of entry 0 (alice, deny): the index now claims a match it cannot
            // prove.
            System.arraycopy(data, 32, data, 64, 32);
            Files.write(dir.resolve(SearchIndex.FILE), data);
            var q = new SearchIndex.Query(null, null, Map.of("who", "alice", "outcome", "deny"));
            assertThat(indexes(index.search(log.view(), q, 100))).containsExactly(0L, 15L, 30L, 45L);
        }
    }

    @Test
    void an_unknown_field_is_refused_naming_the_fields_there_are() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            var q = new SearchIndex.Query(null, null, Map.of("model", "m"));
            assertThatThrownBy(() -> new SearchIndex(dir, SUMMARIZER).search(log.view(), q, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no field 'model'; it has who, what, outcome");
        }
    }

    @Test
    void an_entry_without_a_time_is_found_by_its_fields_but_in_no_time_range() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            log.append("{\"who\":\"carol\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .get();
            SearchIndex index = new SearchIndex(dir, SUMMARIZER);
            assertThat(indexes(index.search(log.view(), new SearchIndex.Query(null, null, Map.of("who", "carol")), 9)))
                    .containsExactly(0L);
            assertThat(index.search(
                            log.view(), SearchIndex.Query.between(Instant.parse("2000-01-01T00:00:00Z"), null), 9))
                    .isEmpty();
        }
    }
}
