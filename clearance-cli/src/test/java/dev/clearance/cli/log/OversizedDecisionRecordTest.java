package dev.clearance.cli.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.cli.CliRun;
import dev.clearance.core.Decision;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import dev.clearance.log.LogOptions;
import dev.clearance.log.TransparencyLog;
import dev.clearance.record.DecisionEntry;
import dev.clearance.record.LogEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A denial for a caller who sent a one-megabyte model name is on the record, in the real log. */
class OversizedDecisionRecordTest {
    @TempDir
    Path data;

    @Test
    void the_record_format_and_the_log_agree_on_the_largest_entry() {
        assertThat(LogEntry.MAX_BYTES).isEqualTo(TransparencyLog.MAX_ENTRY_SIZE);
    }

    @Test
    void a_denial_for_a_one_megabyte_model_name_is_durably_logged_and_found_by_search() throws Exception {
        String model = "mythos-5" + "A".repeat(1 << 20);
        Request r = new Request(
                "r-1",
                "mallory",
                model,
                List.of("chat"),
                Instant.parse("2026-11-26T12:00:00Z"),
                "IR",
                "203.0.113.9",
                "/v1/chat/completions");
        Decision d =
                new Decision("dec-1", Decision.Outcome.DENY, List.of("dir-7"), List.of(), List.of(), "blocked", "pv-1");
        try (TransparencyLog log = TransparencyLog.open(data.resolve("log"), LogOptions.defaults())) {
            assertThat(log.append(DecisionEntry.of("node-a", r, (Principal) null, d)
                                    .bytes())
                            .get())
                    .isZero();
            String entry = new String(log.view().entry(0), StandardCharsets.UTF_8);
            assertThat(entry)
                    .contains("\"model\":\"mythos-5" + "A".repeat(56) + "\u2026sha256:")
                    .endsWith(",\"truncated\":[\"request.model\"]}");
        }
        CliRun found = CliRun.of("log", "search", "--decision", "deny", "--data-dir", data.toString());
        assertThat(found.exitCode()).as(found.err()).isZero();
        assertThat(found.out()).startsWith("0\t{\"id\":\"dec-1\"").contains("\"principal\":\"mallory\"");
    }
}
