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
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceBundleTest {
    @TempDir
    Path dir;

    /** The bundle of [from, to) of the sample log, and the verifier key of the log that wrote it. */
    private record Exported(String bundle, NoteVerifier verifier) {}

    private Exported export(Instant from, Instant to) throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            SampleEntries.populate(log);
            return new Exported(
                    EvidenceBundle.export(log.view(), new SearchIndex(dir, SUMMARIZER), from, to),
                    NoteVerifier.parse(log.verifier().verifierKey()));
        }
    }

    @Test
    void an_exported_bundle_verifies_offline_with_only_the_public_key() throws Exception {
        Exported e = export(T.plusSeconds(600), T.plusSeconds(1200));
        EvidenceBundle.Verified v = EvidenceBundle.verify(e.bundle(), e.verifier(), SUMMARIZER);
        assertThat(v.entries()).isEqualTo(10);
        assertThat(v.checkpoint().size()).isEqualTo(50);
        assertThat(v.from()).isEqualTo(T.plusSeconds(600));
        assertThat(v.to()).isEqualTo(T.plusSeconds(1200));
    }

    @Test
    void a_bundle_with_an_altered_entry_is_rejected_naming_it() throws Exception {
        Exported e = export(T, T.plusSeconds(3000));
        String altered = e.bundle().replace("\\\"outcome\\\":\\\"deny\\\"", "\\\"outcome\\\":\\\"allow\\\"");
        assertThat(altered).isNotEqualTo(e.bundle());
        assertThatThrownBy(() -> EvidenceBundle.verify(altered, e.verifier(), SUMMARIZER))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("entries[0] (log entry 0)");
    }

    @Test
    void a_bundle_checked_with_another_key_is_rejected() throws Exception {
        Exported e = export(T, T.plusSeconds(60));
        NoteVerifier other = NoteKey.generate(LogOptions.DEFAULT_ORIGIN).verifier();
        assertThatThrownBy(() -> EvidenceBundle.verify(e.bundle(), other, SUMMARIZER))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("checkpoint");
    }

    @Test
    void a_bundle_whose_range_was_narrowed_is_rejected_naming_the_entry_outside_it() throws Exception {
        Exported e = export(T.plusSeconds(600), T.plusSeconds(1200));
        String narrowed =
                e.bundle().replace("\"to\":\"" + T.plusSeconds(1200) + "\"", "\"to\":\"" + T.plusSeconds(1000) + "\"");
        assertThat(narrowed).isNotEqualTo(e.bundle());
        assertThatThrownBy(() -> EvidenceBundle.verify(narrowed, e.verifier(), SUMMARIZER))
                .isInstanceOf(ProofException.class)
                .hasMessageContaining("(log entry 17): time " + T.plusSeconds(1020) + " is outside");
    }
}
