package dev.clearance.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.cli.CliRun;
import dev.clearance.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clearance simulate} on the repository's examples: the story's directive against what was in force before. */
class SimulateCommandTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final String DIRS = EXAMPLES.resolve("directives").toString();

    static CliRun simulate(String... more) {
        String[] base = {
            "simulate",
            "--baseline",
            DIRS + "/sanctioned-locations.yaml",
            "--baseline",
            DIRS + "/offensive-cyber-capability.yaml",
            "--draft",
            DIRS,
            "--principals",
            EXAMPLES.resolve("principals.jsonl").toString(),
            "--requests",
            EXAMPLES.resolve("requests.jsonl").toString(),
            "--at",
            "2026-11-26T12:00:00Z"
        };
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRun.of(all);
    }

    @Test
    void reportsWhoLosesAccessToTheStorysFrontierModelsAsJson() throws Exception {
        CliRun run = simulate("--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = Json.mapper().readTree(run.out());
        // chen (CN), farah (IN; her license covers frontier-x only), gregor (DE), globex (DE-incorporated).
        assertThat(r.at("/principals/losing_access").asLong()).isEqualTo(4);
        assertThat(r.at("/principals/employees").asLong()).isEqualTo(2);
        // r2 chen x-1, r6 farah y-2, r14 globex y-2.
        assertThat(r.at("/requests/newly_denied").asLong()).isEqualTo(3);
        assertThat(r.at("/requests/by_directive/proposed-remote-access-d5/shadow_hits")
                        .asLong())
                .isEqualTo(2);
    }

    @Test
    void writesASelfContainedHtmlReportToAFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("impact.html");
        CliRun run = simulate("--format", "html", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>").contains("<svg id=\"requests-by-model\"");
    }

    @Test
    void withAStoreTheDraftAmendsTheActivePolicyOverTheStoredPrincipals(@TempDir Path dir) throws Exception {
        String config = Files.writeString(dir.resolve("clearance.yaml"), "data_dir: state\n")
                .toString();
        assertThat(CliRun.of(
                                "principals",
                                "import",
                                EXAMPLES.resolve("principals.jsonl").toString(),
                                "--config",
                                config)
                        .exitCode())
                .isZero();
        assertThat(CliRun.of(
                                "directives",
                                "load",
                                DIRS + "/sanctioned-locations.yaml",
                                "--reason",
                                "in force",
                                "--config",
                                config)
                        .exitCode())
                .isZero();
        CliRun run = CliRun.of(
                "simulate",
                "--config",
                config,
                "--draft",
                DIRS + "/frontier-foreign-nationals.yaml",
                "--requests",
                EXAMPLES.resolve("requests.jsonl").toString(),
                "--at",
                "2026-11-26T12:00:00Z",
                "--format",
                "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = Json.mapper().readTree(run.out());
        assertThat(r.at("/principals/total").asLong()).isEqualTo(9);
        assertThat(r.at("/principals/losing_access").asLong()).isEqualTo(4);
        // The draft kept the active location directive: r10 (from IR) is denied under both, not newly.
        assertThat(r.at("/requests/by_directive/ofac-comprehensive-locations/denied")
                        .asLong())
                .isEqualTo(1);
        assertThat(r.at("/requests/newly_denied").asLong()).isEqualTo(3);
    }

    @Test
    void withFromAndToTheTrafficIsReadFromTheDecisionLog(@TempDir Path dir) throws Exception {
        String config = Files.writeString(dir.resolve("clearance.yaml"), "data_dir: state\n")
                .toString();
        assertThat(CliRun.of(
                                "principals",
                                "import",
                                EXAMPLES.resolve("principals.jsonl").toString(),
                                "--config",
                                config)
                        .exitCode())
                .isZero();
        assertThat(CliRun.of(
                                "directives",
                                "load",
                                DIRS + "/sanctioned-locations.yaml",
                                "--reason",
                                "in force",
                                "--config",
                                config)
                        .exitCode())
                .isZero();
        // Record the example requests as the gateway would (the outcome recorded does not matter: simulate re-decides).
        java.util.Map<String, dev.clearance.core.Principal> people =
                dev.clearance.store.files.PrincipalFile.read(EXAMPLES.resolve("principals.jsonl"));
        try (dev.clearance.log.TransparencyLog log = dev.clearance.log.TransparencyLog.open(
                dir.resolve("state/log"), dev.clearance.log.LogOptions.defaults())) {
            log.append(new dev.clearance.record.PolicyChangeEntry(
                                    dev.clearance.record.PolicyChangeEntry.Change.DIRECTIVE_UPLOADED,
                                    java.time.Instant.parse("2026-11-24T00:00:00Z"),
                                    "node-1",
                                    "ops",
                                    "in force",
                                    java.util.List.of("x"),
                                    "",
                                    "sha256:00")
                            .bytes())
                    .join();
            // Screening reviews, as this version writes them and as earlier ones did, are not traffic either.
            log.append(new dev.clearance.record.ScreeningReviewEntry(
                                    "confirmed",
                                    java.time.Instant.parse("2026-11-26T00:00:00Z"),
                                    "node-1",
                                    "rita",
                                    "same passport",
                                    "elena",
                                    "SDN",
                                    "26233",
                                    "e",
                                    "s")
                            .bytes())
                    .join();
            log.append(("{\"change\":\"screening_review\",\"time\":\"2026-11-26T00:00:01Z\",\"node\":\"node-1\","
                                    + "\"by\":\"rita\",\"why\":\"\",\"directives\":[],"
                                    + "\"step\":\"confirmed principal=elena list=SDN entity=26233\",\"policy_version\":\"\"}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .join();
            int line = 0;
            for (String text : Files.readAllLines(EXAMPLES.resolve("requests.jsonl"))) {
                dev.clearance.core.Request r = Json.request(text, "requests.jsonl", ++line, java.time.Instant::now);
                dev.clearance.core.Decision d = new dev.clearance.core.Decision(
                        r.id(),
                        dev.clearance.core.Decision.Outcome.ALLOW,
                        java.util.List.of(),
                        java.util.List.of(),
                        java.util.List.of(),
                        "",
                        "sha256:00");
                log.append(dev.clearance.record.DecisionEntry.of("node-1", r, people.get(r.principal()), d)
                                .bytes())
                        .join();
            }
            log.checkpoint().join(); // a reader sees the log as of its latest signed checkpoint
        }
        // r3 (2026-11-24T13:59:59Z) falls before --from; the other 14 are on 2026-11-26.
        CliRun run = CliRun.of(
                "simulate",
                "--config",
                config,
                "--draft",
                DIRS + "/frontier-foreign-nationals.yaml",
                "--from",
                "2026-11-26T00:00:00Z",
                "--to",
                "2026-11-27T00:00:00Z",
                "--at",
                "2026-11-26T12:00:00Z",
                "--format",
                "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = Json.mapper().readTree(run.out());
        assertThat(r.at("/requests/total").asLong()).isEqualTo(14);
        assertThat(r.at("/requests/newly_denied").asLong()).isEqualTo(3);
        assertThat(r.at("/requests/unknown_principal").asLong()).isEqualTo(1);
    }

    @Test
    void aBadTimestampIsRefusedWithAPreciseMessage() {
        CliRun run = CliRun.of(
                "simulate",
                "--baseline",
                DIRS,
                "--draft",
                DIRS,
                "--principals",
                EXAMPLES.resolve("principals.jsonl").toString(),
                "--at",
                "tuesday");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--at: 'tuesday' is not an RFC 3339 timestamp");
    }

    @Test
    void withoutAStoreTheBaselineAndPrincipalsMustBeGiven() {
        CliRun run = CliRun.of("simulate", "--draft", DIRS);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("give --baseline and --principals, or --config");
    }
}
