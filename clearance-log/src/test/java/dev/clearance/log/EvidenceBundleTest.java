package dev.clearance.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.log.merkle.ProofException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceBundleTest {
    @TempDir
    Path dir;

    private void populate(DecisionLog log) throws Exception {
        for (int i = 0; i < 50; i++) {
            var req = DecisionEntryTest.request(i % 3 == 0 ? "alice" : "bob", i % 2 == 0 ? "frontier-2" : "small-1")
                    .withId("r" + i);
            var shifted = new dev.clearance.core.Request(
                    req.id(),
                    req.principal(),
                    req.model(),
                    req.capabilities(),
                    DecisionEntryTest.T.plusSeconds(60L * i),
                    req.country(),
                    req.ip(),
                    req.endpoint());
            var d = new dev.clearance.core.Decision(
                    "dec-" + i,
                    i % 5 == 0 ? dev.clearance.core.Decision.Outcome.DENY : dev.clearance.core.Decision.Outcome.ALLOW,
                    List.of(),
                    List.of(),
                    List.of(),
                    "",
                    "pv");
            log.append(DecisionEntry.of("node-a", shifted, (dev.clearance.core.Principal) null, d))
                    .get();
        }
        log.checkpoint().get();
    }

    @Test
    void search_finds_exactly_the_matching_decisions() throws Exception {
        try (DecisionLog log = DecisionLog.open(dir, LogOptions.defaults())) {
            populate(log);
            SearchIndex index = new SearchIndex(dir);
            var hits = index.search(log.view(), new SearchIndex.Query("alice", "frontier-2", null, null, "deny"), 100);
            // alice: i % 3 == 0; frontier-2: i even; deny: i % 5 == 0  ->  i % 30 == 0
            assertThat(hits).extracting(SearchIndex.Hit::index).containsExactly(0L, 30L);
            var inTime = index.search(
                    log.view(),
                    new SearchIndex.Query(
                            null,
                            null,
                            DecisionEntryTest.T.plusSeconds(600),
                            DecisionEntryTest.T.plusSeconds(720),
                            null),
                    100);
            assertThat(inTime).extracting(SearchIndex.Hit::index).containsExactly(10L, 11L);
        }
    }

    @Test
    void an_exported_bundle_verifies_offline_with_only_the_public_key() throws Exception {
        String bundle;
        String key;
        try (DecisionLog log = DecisionLog.open(dir, LogOptions.defaults())) {
            populate(log);
            key = log.verifier().verifierKey();
            bundle = EvidenceBundle.export(
                    log.view(),
                    new SearchIndex(dir),
                    DecisionEntryTest.T.plusSeconds(600),
                    DecisionEntryTest.T.plusSeconds(1200));
        }
        EvidenceBundle.Verified v = EvidenceBundle.verify(bundle, NoteVerifier.parse(key));
        assertThat(v.entries()).isEqualTo(10);
        assertThat(v.checkpoint().size()).isEqualTo(50);
    }

    @Test
    void a_bundle_with_an_altered_entry_is_rejected_naming_it() throws Exception {
        String bundle;
        String key;
        try (DecisionLog log = DecisionLog.open(dir, LogOptions.defaults())) {
            populate(log);
            key = log.verifier().verifierKey();
            bundle = EvidenceBundle.export(
                    log.view(), new SearchIndex(dir), DecisionEntryTest.T, DecisionEntryTest.T.plusSeconds(3000));
        }
        String altered = bundle.replace("\\\"decision\\\":\\\"deny\\\"", "\\\"decision\\\":\\\"allow\\\"");
        assertThat(altered).isNotEqualTo(bundle);
        assertThatThrownBy(() -> EvidenceBundle.verify(altered, NoteVerifier.parse(key)))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("entries[0] (log entry 0)");
    }

    @Test
    void a_bundle_checked_with_another_key_is_rejected() throws Exception {
        String bundle;
        try (DecisionLog log = DecisionLog.open(dir, LogOptions.defaults())) {
            populate(log);
            bundle = EvidenceBundle.export(
                    log.view(), new SearchIndex(dir), DecisionEntryTest.T, DecisionEntryTest.T.plusSeconds(60));
        }
        NoteVerifier other = NoteKey.generate(LogOptions.DEFAULT_ORIGIN).verifier();
        assertThatThrownBy(() -> EvidenceBundle.verify(bundle, other))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("checkpoint");
        assertThat(bundle.getBytes(StandardCharsets.UTF_8)).isNotEmpty();
    }

    @Test
    void policy_changes_are_searchable_as_their_own_kind() throws Exception {
        try (DecisionLog log = DecisionLog.open(dir, LogOptions.defaults())) {
            log.append(new PolicyChangeEntry(
                            PolicyChangeEntry.Change.LIFECYCLE_STEP,
                            Instant.parse("2026-11-26T00:00:00Z"),
                            "n",
                            "officer",
                            "go live",
                            List.of("dir-7"),
                            "shadow->enforce",
                            "pv2"))
                    .get();
            populate(log);
            var hits = new SearchIndex(dir)
                    .search(log.view(), new SearchIndex.Query(null, null, null, null, "policy"), 10);
            assertThat(hits).extracting(SearchIndex.Hit::index).containsExactly(0L);
        }
    }
}
