package dev.clearance.log;

import static dev.clearance.log.SampleEntries.entry;
import static dev.clearance.log.SampleEntries.fill;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.log.audit.LogVerifier;
import dev.clearance.log.merkle.InclusionProof;
import dev.clearance.log.merkle.Rfc6962;
import dev.clearance.log.note.NoteVerifier;
import dev.clearance.log.note.SignedCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransparencyLogTest {
    @TempDir
    Path dir;

    @Test
    void appended_entries_come_back_byte_for_byte_in_order() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 1000);
            assertThat(log.size()).isEqualTo(1000);
            List<byte[]> got = log.view().entries(0, 1000);
            for (int i = 0; i < 1000; i++) {
                assertThat(got.get(i)).isEqualTo(entry(i));
            }
            assertThat(Files.readString(dir.resolve("entries.jsonl"))
                            .lines()
                            .toList()
                            .get(7))
                    .isEqualTo(new String(entry(7), StandardCharsets.UTF_8));
        }
    }

    @Test
    void a_new_empty_log_has_a_signed_empty_checkpoint_and_verifies() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            assertThat(log.latestCheckpoint().orElseThrow().size()).isZero();
        }
        LogVerifier.Result r = LogVerifier.verify(dir);
        assertThat(r.failure()).isEmpty();
        assertThat(r.entries()).isZero();
    }

    @Test
    void every_inclusion_proof_verifies_against_the_signed_checkpoint() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 77);
            SignedCheckpoint cp = log.checkpoint().get();
            assertThat(cp.size()).isEqualTo(77);
            SignedCheckpoint opened = SignedCheckpoint.open(
                    cp.note(), NoteVerifier.parse(log.verifier().verifierKey()));
            for (long i = 0; i < 77; i++) {
                InclusionProof p = log.view().inclusionProof(i, 77);
                assertThat(p.root()).isEqualTo(opened.checkpoint().root());
                assertThat(p.leafHash()).isEqualTo(new Rfc6962().leafHash(entry((int) i)));
                p.verify();
            }
        }
    }

    @Test
    void consistency_proofs_between_any_two_sizes_verify() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 40);
            for (long a = 1; a <= 40; a++) {
                for (long b = a; b <= 40; b++) {
                    log.view().consistencyProof(a, b).verify();
                }
            }
        }
    }

    @Test
    void a_reopened_log_keeps_its_entries_key_and_checkpoints_and_keeps_appending() throws Exception {
        String verifierKey;
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 10);
            verifierKey = log.verifier().verifierKey();
        }
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            assertThat(log.size()).isEqualTo(10);
            assertThat(log.verifier().verifierKey()).isEqualTo(verifierKey);
            assertThat(log.latestCheckpoint().orElseThrow().size()).isEqualTo(10);
            fill(log, 10, 20);
            log.view().consistencyProof(10, 20).verify();
        }
        assertThat(LogVerifier.verify(dir).failure()).isEmpty();
    }

    @Test
    void the_signing_key_is_created_readable_by_its_owner_only() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("log.key"))))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(dir.resolve("log.pub")).strip())
                    .isEqualTo(log.verifier().verifierKey());
            assertThat(log.verifier().verifierKey()).startsWith(LogOptions.DEFAULT_ORIGIN + "+");
        }
    }

    @Test
    void refuses_a_signing_key_others_can_read() throws Exception {
        TransparencyLog.open(dir, LogOptions.defaults()).close();
        Files.setPosixFilePermissions(dir.resolve("log.key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> TransparencyLog.open(dir, LogOptions.defaults()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("log.key")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void entries_with_a_line_feed_or_too_large_are_refused_and_change_nothing() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            assertThatThrownBy(() -> log.append("{\"a\":\n1}".getBytes(StandardCharsets.UTF_8))
                            .get())
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("line feed");
            assertThatThrownBy(() -> log.append(new byte[70_000]).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("at most 65535 bytes");
            assertThat(log.size()).isZero();
        }
    }

    @Test
    void only_one_writer_may_open_a_log() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            assertThatThrownBy(() -> TransparencyLog.open(dir, LogOptions.defaults()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("already open for writing");
        }
    }

    @Test
    void a_torn_unacknowledged_tail_is_cut_on_open() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 5);
        }
        Files.write(
                dir.resolve("entries.jsonl"),
                "{\"id\":\"half".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        Files.write(dir.resolve("offsets.bin"), new byte[] {0, 0, 0}, StandardOpenOption.APPEND);
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            assertThat(log.size()).isEqualTo(5);
            fill(log, 5, 8);
            assertThat(log.view().entry(5)).isEqualTo(entry(5));
        }
        assertThat(LogVerifier.verify(dir).failure()).isEmpty();
    }

    @Test
    void zeros_prepared_ahead_of_the_entries_are_never_entries_and_a_clean_close_cuts_them() throws Exception {
        Path copy = dir.resolveSibling(dir.getFileName() + "-crashed");
        long end;
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 40);
            Path entries = dir.resolve("entries.jsonl");
            end = 0;
            for (int i = 0; i < 40; i++) {
                end += entry(i).length + 1;
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.size(entries) <= end && System.nanoTime() < deadline) {
                Thread.sleep(10); // the preparer writes its zeros on a thread of its own
            }
            assertThat(Files.size(entries)).isGreaterThan(end);
            byte[] all = Files.readAllBytes(entries);
            assertThat(all[(int) end - 1]).isEqualTo((byte) '\n');
            for (int i = (int) end; i < all.length; i++) {
                assertThat(all[i]).as("byte %d", i).isZero();
            }
            // What an auditor sees of a running log: every entry verified, the zeros named as such.
            LogVerifier.Result running = LogVerifier.verify(dir);
            assertThat(running.failure()).isEmpty();
            assertThat(running.entries()).isEqualTo(40);
            assertThat(running.warning()).contains("zeros prepared").doesNotContain("torn");
            // As if the machine stopped here: a copy of the files with the zeros still in place.
            Files.createDirectories(copy);
            try (var files = Files.walk(dir)) {
                for (Path p : files.toList()) {
                    Path to = copy.resolve(dir.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
        }
        assertThat(Files.size(dir.resolve("entries.jsonl"))).isEqualTo(end);
        try (TransparencyLog log = TransparencyLog.open(copy, LogOptions.defaults())) {
            assertThat(log.size()).isEqualTo(40);
            fill(log, 40, 45);
            assertThat(log.view().entry(44)).isEqualTo(entry(44));
        }
        assertThat(LogVerifier.verify(copy).failure()).isEmpty();
        assertThat(LogVerifier.verify(copy).entries()).isEqualTo(45);
    }

    @Test
    void entries_past_the_last_checkpoint_are_recovered_from_the_entries_file_alone() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 30);
        }
        // As if the machine lost power after entries 20..29 were acknowledged but before their offsets reached the
        // disk.
        try (var c = java.nio.channels.FileChannel.open(dir.resolve("offsets.bin"), StandardOpenOption.WRITE)) {
            c.truncate(20 * 8);
        }
        // ...and a block of the following, unacknowledged batch was never written (zeros), a later one was.
        Files.write(dir.resolve("entries.jsonl"), new byte[4096], StandardOpenOption.APPEND);
        Files.write(dir.resolve("entries.jsonl"), entry(99), StandardOpenOption.APPEND);
        Files.write(dir.resolve("entries.jsonl"), "\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            assertThat(log.size()).isEqualTo(30);
            assertThat(log.view().entry(29)).isEqualTo(entry(29));
            fill(log, 30, 31);
        }
        assertThat(LogVerifier.verify(dir).failure()).isEmpty();
    }

    @Test
    void entries_holding_a_nul_byte_are_refused() {
        assertThatThrownBy(() -> {
                    try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
                        log.append(new byte[] {'{', 0, '}'}).get();
                    }
                })
                .hasMessageContaining("NUL byte");
    }

    @Test
    void derived_tree_files_are_rebuilt_when_lost() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 300);
        }
        try (var files = Files.list(dir.resolve("tree"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            assertThat(log.size()).isEqualTo(300);
            log.view().inclusionProof(123, 300).verify();
        }
        assertThat(LogVerifier.verify(dir).failure()).isEmpty();
    }

    @Test
    void verify_names_a_rewritten_entry() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 20);
        }
        Path entries = dir.resolve("entries.jsonl");
        Files.writeString(entries, Files.readString(entries).replace("\"d-3\"", "\"d-9\""));
        assertThat(LogVerifier.verify(dir).failure()).startsWith("entry 3:").contains("the entry was altered");
    }

    @Test
    void verify_names_a_rewritten_stored_tree_node_inside_and_above_the_subtrees_hashed_in_parallel() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 300);
        }
        // level 2, node 5 covers entries [20, 24): completed by entry 23, inside a 16-leaf subtree
        flipStoredNode(2, 5);
        assertThat(LogVerifier.verify(dir).failure())
                .isEqualTo("entry 23: stored tree node 2/5 differs from the one recomputed from entries [20, 24)");
        flipStoredNode(2, 5);
        assertThat(LogVerifier.verify(dir).failure()).isEmpty();
        // level 6, node 1 covers entries [64, 128): above the subtrees, completed by entry 127
        flipStoredNode(6, 1);
        assertThat(LogVerifier.verify(dir).failure())
                .isEqualTo("entry 127: stored tree node 6/1 differs from the one recomputed from entries [64, 128)");
    }

    private void flipStoredNode(int level, int index) throws Exception {
        Path f = dev.clearance.log.storage.LogFiles.treeLevel(dir, level);
        byte[] b = Files.readAllBytes(f);
        b[index * 32] ^= 1;
        Files.write(f, b);
    }

    @Test
    void a_log_whose_rebuilt_tree_misses_its_signed_root_refuses_to_open() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 20);
        }
        Path entries = dir.resolve("entries.jsonl");
        Files.writeString(entries, Files.readString(entries).replace("\"d-3\"", "\"d-9\""));
        Files.delete(dir.resolve("tree/00.hashes"));
        assertThatThrownBy(() -> TransparencyLog.open(dir, LogOptions.defaults()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("do not produce the root of the latest signed checkpoint");
    }

    @Test
    void a_read_only_view_shows_the_log_as_of_its_latest_checkpoint() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            fill(log, 0, 10);
            log.checkpoint().get();
            try (LogView ro = LogView.openReadOnly(dir)) {
                assertThat(ro.size()).isEqualTo(10);
                assertThat(ro.entries(0, 10).get(9)).isEqualTo(entry(9));
                ro.inclusionProof(3, 10).verify();
            }
        }
    }
}
