package dev.clearance.log.audit;

import static dev.clearance.log.SampleEntries.SUMMARIZER;
import static dev.clearance.log.SampleEntries.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.log.LogOptions;
import dev.clearance.log.SampleEntries;
import dev.clearance.log.TransparencyLog;
import dev.clearance.log.merkle.ProofException;
import dev.clearance.log.note.NoteKey;
import dev.clearance.log.note.NoteVerifier;
import dev.clearance.log.search.SearchIndex;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceBundleTest {
    @TempDir
    Path dir;

    /** Entry i: at T + i minutes, by alice when i % 3 == 0 (else bob), on m-2 when i is even, deny when i % 5 == 0. */
    private void populate(TransparencyLog log) throws Exception {
        for (int i = 0; i < 50; i++) {
            log.append(SampleEntries.entry(
                            "e-" + i,
                            T.plusSeconds(60L * i),
                            i % 3 == 0 ? "alice" : "bob",
                            i % 2 == 0 ? "m-2" : "m-1",
                            i % 5 == 0 ? "deny" : "allow"))
                    .get();
        }
        log.checkpoint().get();
    }

    @Test
    void an_exported_bundle_verifies_offline_with_only_the_public_key() throws Exception {
        String bundle;
        String key;
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            populate(log);
            key = log.verifier().verifierKey();
            bundle = EvidenceBundle.export(
                    log.view(), new SearchIndex(dir, SUMMARIZER), T.plusSeconds(600), T.plusSeconds(1200));
        }
        EvidenceBundle.Verified v = EvidenceBundle.verify(bundle, NoteVerifier.parse(key), SUMMARIZER);
        assertThat(v.entries()).isEqualTo(10);
        assertThat(v.checkpoint().size()).isEqualTo(50);
        assertThat(v.from()).isEqualTo(T.plusSeconds(600));
        assertThat(v.to()).isEqualTo(T.plusSeconds(1200));
    }

    @Test
    void a_bundle_with_an_altered_entry_is_rejected_naming_it() throws Exception {
        String bundle;
        String key;
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            populate(log);
            key = log.verifier().verifierKey();
            bundle = EvidenceBundle.export(log.view(), new SearchIndex(dir, SUMMARIZER), T, T.plusSeconds(3000));
        }
        String altered = bundle.replace("\\\"outcome\\\":\\\"deny\\\"", "\\\"outcome\\\":\\\"allow\\\"");
        assertThat(altered).isNotEqualTo(bundle);
        assertThatThrownBy(() -> EvidenceBundle.verify(altered, NoteVerifier.parse(key), SUMMARIZER))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("entries[0] (log entry 0)");
    }

    @Test
    void a_bundle_checked_with_another_key_is_rejected() throws Exception {
        String bundle;
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            populate(log);
            bundle = EvidenceBundle.export(log.view(), new SearchIndex(dir, SUMMARIZER), T, T.plusSeconds(60));
        }
        NoteVerifier other = NoteKey.generate(LogOptions.DEFAULT_ORIGIN).verifier();
        assertThatThrownBy(() -> EvidenceBundle.verify(bundle, other, SUMMARIZER))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("checkpoint");
    }

    @Test
    void a_bundle_whose_range_was_widened_is_rejected_naming_the_entry_outside_it() throws Exception {
        String bundle;
        String key;
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            populate(log);
            key = log.verifier().verifierKey();
            bundle = EvidenceBundle.export(
                    log.view(), new SearchIndex(dir, SUMMARIZER), T.plusSeconds(600), T.plusSeconds(1200));
        }
        String narrowed =
                bundle.replace("\"to\":\"" + T.plusSeconds(1200) + "\"", "\"to\":\"" + T.plusSeconds(1000) + "\"");
        assertThat(narrowed).isNotEqualTo(bundle);
        assertThatThrownBy(() -> EvidenceBundle.verify(narrowed, NoteVerifier.parse(key), SUMMARIZER))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("(log entry 17): time " + T.plusSeconds(1020) + " is outside");
    }
}
