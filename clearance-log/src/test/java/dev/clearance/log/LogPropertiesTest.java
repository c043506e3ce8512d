package dev.clearance.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.log.audit.LogVerifier;
import dev.clearance.log.merkle.ConsistencyProof;
import dev.clearance.log.note.Checkpoint;
import dev.clearance.log.note.NoteVerifier;
import dev.clearance.log.note.SignedCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class LogPropertiesTest {
    @Property(tries = 25)
    void any_two_checkpoints_of_one_log_are_consistent(
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 70) Integer> batches) throws Exception {
        Path dir = Files.createTempDirectory("log-prop");
        try {
            List<SignedCheckpoint> cps = new ArrayList<>();
            int n = 0;
            try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
                for (int batch : batches) {
                    SampleEntries.fill(log, n, n + batch);
                    n += batch;
                    cps.add(log.checkpoint().get());
                }
                NoteVerifier verifier = NoteVerifier.parse(log.verifier().verifierKey());
                for (int i = 0; i < cps.size(); i++) {
                    for (int j = i; j < cps.size(); j++) {
                        Checkpoint a = SignedCheckpoint.open(cps.get(i).note(), verifier)
                                .checkpoint();
                        Checkpoint b = SignedCheckpoint.open(cps.get(j).note(), verifier)
                                .checkpoint();
                        ConsistencyProof p = log.view().consistencyProof(a.size(), b.size());
                        new ConsistencyProof(a.size(), b.size(), a.root(), b.root(), p.proof()).verify();
                    }
                }
            }
            assertThat(LogVerifier.verify(dir).failure()).isEmpty();
        } finally {
            delete(dir);
        }
    }

    @Property(tries = 40)
    void any_single_bit_change_in_any_stored_entry_is_detected_by_verify(
            @ForAll @IntRange(min = 1, max = 60) int entries,
            @ForAll @IntRange(min = 0, max = 100_000) int where,
            @ForAll @IntRange(min = 0, max = 7) int bit)
            throws Exception {
        Path dir = Files.createTempDirectory("log-prop");
        try {
            try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
                SampleEntries.fill(log, 0, entries);
            }
            assertThat(LogVerifier.verify(dir).failure()).isEmpty();
            Path file = dir.resolve("entries.jsonl");
            byte[] data = Files.readAllBytes(file);
            int at = where % data.length;
            data[at] ^= (byte) (1 << bit);
            Files.write(file, data);
            assertThat(LogVerifier.verify(dir).failure())
                    .as("flipped bit %d of byte %d", bit, at)
                    .isNotEmpty();
        } finally {
            delete(dir);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
