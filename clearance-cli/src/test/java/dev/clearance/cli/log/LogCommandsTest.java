package dev.clearance.cli.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.cli.CliRun;
import dev.clearance.core.Decision;
import dev.clearance.core.Request;
import dev.clearance.log.LogOptions;
import dev.clearance.log.TransparencyLog;
import dev.clearance.log.merkle.ConsistencyProof;
import dev.clearance.log.merkle.InclusionProof;
import dev.clearance.record.DecisionEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clearance log ...} end to end over a log written through the library. */
class LogCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T = Instant.parse("2026-11-26T12:00:00Z");
    static final int N = 13;

    @TempDir
    Path data;

    String key;

    @BeforeEach
    void writeLog() throws Exception {
        try (TransparencyLog log = TransparencyLog.open(data.resolve("log"), LogOptions.defaults())) {
            for (int i = 0; i < N; i++) {
                Request r = new Request(
                        "r" + i,
                        i % 2 == 0 ? "alice" : "bob",
                        "frontier-2",
                        List.of("chat"),
                        T.plusSeconds(60L * i),
                        "US",
                        "198.51.100.7",
                        "/v1/messages");
                Decision d = new Decision(
                        "dec-" + i,
                        i % 4 == 0 ? Decision.Outcome.DENY : Decision.Outcome.ALLOW,
                        List.of(),
                        List.of(),
                        List.of(),
                        "",
                        "pv-1");
                log.append(DecisionEntry.of("node-a", r, (dev.clearance.core.Principal) null, d)
                                .bytes())
                        .get();
            }
            key = log.verifier().verifierKey();
        }
    }

    private CliRun log(String... args) {
        List<String> a = new ArrayList<>(List.of("log"));
        a.addAll(List.of(args));
        a.addAll(List.of("--data-dir", data.toString()));
        return CliRun.of(a.toArray(String[]::new));
    }

    @Test
    void an_independent_verifier_recomputes_the_signed_root_from_the_printed_entries() throws Exception {
        CliRun entries = log("entries", "--from", "0", "--to", String.valueOf(N));
        assertThat(entries.exitCode()).as(entries.err()).isZero();
        List<byte[]> leaves = new ArrayList<>();
        for (String line : entries.out().split("\n")) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update((byte) 0);
            d.update(line.getBytes(StandardCharsets.UTF_8));
            leaves.add(d.digest());
        }
        assertThat(leaves).hasSize(N);
        CliRun cp = log("checkpoint");
        assertThat(cp.exitCode()).as(cp.err()).isZero();
        String[] lines = cp.out().split("\n");
        assertThat(lines[1]).isEqualTo(String.valueOf(N));
        assertThat(Base64.getDecoder().decode(lines[2])).isEqualTo(mth(leaves));
        assertThat(dev.clearance.log.note.NoteVerifier.parse(
                                log("public-key").out().strip())
                        .open(cp.out()))
                .startsWith(lines[0] + "\n");
    }

    @Test
    void a_range_past_the_end_prints_what_exists_and_says_it_was_clipped() {
        CliRun entries = log("entries", "--from", "0", "--to", String.valueOf(N + 10));
        assertThat(entries.exitCode()).as(entries.err()).isZero();
        assertThat(entries.out().split("\n")).hasSize(N);
        assertThat(entries.err())
                .contains("clipped: --from 0 --to " + (N + 10))
                .contains("entries [0, " + N + "), printed [0, " + N + ")");
    }

    @Test
    void a_range_that_ends_before_it_starts_is_refused() {
        CliRun entries = log("entries", "--from", "3", "--to", "1");
        assertThat(entries.exitCode()).isEqualTo(1);
        assertThat(entries.out()).isEmpty();
        assertThat(entries.err()).contains("not a range");
    }

    /** RFC 9162 section 2.1.1, written out directly so the check does not lean on the code it checks. */
    private static byte[] mth(List<byte[]> leaves) throws Exception {
        if (leaves.size() == 1) {
            return leaves.getFirst();
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update((byte) 1);
        d.update(mth(leaves.subList(0, k)));
        d.update(mth(leaves.subList(k, leaves.size())));
        return d.digest();
    }

    @Test
    void public_key_prints_the_verifier_key() {
        CliRun run = log("public-key");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).isEqualTo(key);
    }

    @Test
    void printed_proofs_have_the_vector_shape_and_verify() throws Exception {
        CliRun inc = log("prove", "--index", "5", "--size", "11");
        assertThat(inc.exitCode()).as(inc.err()).isZero();
        var n = JSON.readTree(inc.out());
        assertThat(n.fieldNames()).toIterable().containsExactly("leafIdx", "treeSize", "root", "leafHash", "proof");
        InclusionProof.fromJson(n, "stdout").verify();

        CliRun con = log("prove", "--from", "3", "--to", "13");
        assertThat(con.exitCode()).as(con.err()).isZero();
        var c = JSON.readTree(con.out());
        assertThat(c.fieldNames()).toIterable().containsExactly("size1", "size2", "root1", "root2", "proof");
        ConsistencyProof.fromJson(c, "stdout").verify();
    }

    @Test
    void prove_refuses_sizes_beyond_the_signed_log() {
        CliRun run = log("prove", "--index", "2", "--size", "99");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--index 2 --size 99").contains("latest checkpoint's size");
    }

    @Test
    void verify_passes_and_then_names_the_first_rewritten_entry() throws Exception {
        CliRun ok = log("verify");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("ok: " + N + " entries");
        Path entries = data.resolve("log/entries.jsonl");
        Files.writeString(entries, Files.readString(entries).replace("\"dec-6\"", "\"dec-X\""));
        CliRun bad = log("verify");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("verification FAILED: entry 6:");
    }

    @Test
    void an_exported_bundle_verifies_with_only_the_public_key() throws Exception {
        Path bundle = data.resolve("evidence.json");
        CliRun export = log(
                "export", "--from", "2026-11-26T12:02:00Z", "--to", "2026-11-26T12:05:00Z", "--out", bundle.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        CliRun verify = CliRun.of("log", "verify-bundle", bundle.toString(), "--public-key", key);
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).startsWith("ok: 3 entries");
        Files.writeString(bundle, Files.readString(bundle).replace("dec-3", "dec-9"));
        CliRun tampered = CliRun.of("log", "verify-bundle", bundle.toString(), "--public-key", key);
        assertThat(tampered.exitCode()).isEqualTo(1);
        assertThat(tampered.err()).contains("log entry 3");
    }

    @Test
    void search_prints_the_matching_entries_with_their_indexes() {
        CliRun run = log("search", "--principal", "alice", "--decision", "deny");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().map(l -> l.substring(0, l.indexOf('\t')))).containsExactly("0", "4", "8", "12");
    }

    @Test
    void the_configuration_names_the_data_directory_that_holds_the_log() throws Exception {
        Path config = data.resolve("clearance.yaml");
        Files.writeString(config, "data_dir: " + data + "\n");
        CliRun run = CliRun.of("log", "public-key", "--config", config.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo(key);
    }

    @Test
    void a_data_directory_without_a_log_is_named_in_the_error() {
        CliRun run = CliRun.of(
                "log", "checkpoint", "--data-dir", data.resolve("elsewhere").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("elsewhere/log: no decision log here");
    }
}
