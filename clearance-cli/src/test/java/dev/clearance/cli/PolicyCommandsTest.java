package dev.clearance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clearance validate} and {@code clearance decide} end to end on the shipped examples. */
class PolicyCommandsTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theExamplesValidate() {
        CliRun run = CliRun.of("validate", EXAMPLES.resolve("directives").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("ok: 4 directive(s), policy version sha256:");
    }

    @Test
    void decideGivesTheSpecifiedDecisionForEveryExampleRequest() throws IOException {
        CliRun run = CliRun.of(
                "decide",
                "--directives",
                EXAMPLES.resolve("directives").toString(),
                "--principals",
                EXAMPLES.resolve("principals.jsonl").toString(),
                "--requests",
                EXAMPLES.resolve("requests.jsonl").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (String line : run.out().split("\n")) {
            JsonNode n = JSON.readTree(line);
            byId.put(n.get("id").asText(), n);
        }
        assertThat(byId.keySet())
                .containsExactly(
                        "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");
        String story = "dir-2026-017-frontier-foreign-nationals";
        expect(byId, "r1", "allow", List.of(), List.of()); // U.S. citizen
        expect(
                byId,
                "r2",
                "deny",
                List.of(story),
                List.of("proposed-remote-access-d5")); // CN national employee in the U.S.
        expect(
                byId,
                "r3",
                "allow",
                List.of(),
                List.of("proposed-remote-access-d5")); // one second before it took effect
        expect(byId, "r4", "allow", List.of(), List.of()); // green-card holder
        expect(byId, "r5", "allow", List.of(), List.of()); // deemed-export license for frontier-x*
        expect(byId, "r6", "deny", List.of(story), List.of()); // ... which does not cover frontier-y
        expect(byId, "r7", "allow", List.of(), List.of()); // dual U.S./French citizen
        expect(byId, "r8", "allow", List.of(), List.of()); // protected individual (asylee)
        expect(byId, "r9", "allow", List.of(), List.of()); // foreign national, unrestricted model
        expect(byId, "r10", "deny", List.of("ofac-comprehensive-locations"), List.of()); // from Iran
        expect(byId, "r11", "allow", List.of(), List.of()); // verified U.S. person, cyber capability
        expect(byId, "r12", "deny", List.of("cap-offensive-cyber-verified-us-only"), List.of()); // U.S. person at IAL1
        expect(byId, "r13", "allow", List.of(), List.of()); // U.S.-incorporated organisation
        expect(byId, "r14", "deny", List.of(story), List.of()); // German GmbH
        expect(byId, "r15", "deny", List.of(), List.of()); // unknown principal
        assertThat(byId.get("r15").get("errors").get(0).asText()).isEqualTo("unknown principal 'mallory'");
        assertThat(byId.get("r2").get("message").asText()).contains("Directive 2026-017");
    }

    static void expect(
            Map<String, JsonNode> byId, String id, String decision, List<String> directives, List<String> shadow) {
        JsonNode n = byId.get(id);
        assertThat(n.get("decision").asText()).as(id).isEqualTo(decision);
        assertThat(JSON.convertValue(n.get("directives"), List.class))
                .as(id + " directives")
                .isEqualTo(directives);
        assertThat(JSON.convertValue(n.get("shadow"), List.class))
                .as(id + " shadow")
                .isEqualTo(shadow);
    }

    @Test
    void validateRejectsEachKindOfBadDirectiveNamingFileAndLine(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                id: d1
                title: misspelled field
                effective_from: 2026-01-01T00:00:00Z
                scope: {models: ["m*"]}
                applies_to: "!principal.us_persn"
                ---
                id: d2
                title: type mismatch
                effective_from: 2026-01-01T00:00:00Z
                scope: {models: ["m*"]}
                applies_to: principal.identity_assurance == 'high'
                ---
                id: d3
                titel: unknown key
                effective_from: 2026-01-01T00:00:00Z
                scope: {models: ["m*"]}
                applies_to: "true"
                """);
        CliRun run = CliRun.of("validate", bad.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains(bad + ":5:")
                .contains("undefined field 'us_persn'")
                .contains(bad + ":11:")
                .contains("no matching overload")
                .contains(bad + ":14:1: unknown field 'titel'")
                .contains("4 error(s)");
    }

    @Test
    void validate_reports_a_bad_effect_and_a_misspelt_condition_field_together_with_their_lines(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("d.yaml");
        Files.writeString(
                file,
                Files.readString(EXAMPLES.resolve("directives/frontier-foreign-nationals.yaml"))
                        .replace("effect: deny", "effect: block")
                        .replace("!principal.us_person", "!principal.us_persn"));

        CliRun run = CliRun.of("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .containsPattern(
                        java.util.regex.Pattern.quote(file.toString()) + ":11:\\d+: .*undefined field 'us_persn'")
                .containsPattern(java.util.regex.Pattern.quote(file.toString()) + ":12:9: field 'effect': 'block'")
                .contains("2 error(s)");
    }

    @Test
    void decideWithLogRecordsEveryDecisionDurablyInTheDecisionLog(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("clearance.yaml");
        Files.writeString(config, "data_dir: ./data\nnode: cli-test\n");
        CliRun run = CliRun.of(
                "decide",
                "--log",
                "--config",
                config.toString(),
                "--directives",
                EXAMPLES.resolve("directives").toString(),
                "--principals",
                EXAMPLES.resolve("principals.jsonl").toString(),
                "--requests",
                EXAMPLES.resolve("requests.jsonl").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().split("\n")).hasSize(15);

        CliRun entries = CliRun.of("log", "entries", "--config", config.toString(), "--from", "0", "--to", "15");
        assertThat(entries.exitCode()).as(entries.err()).isZero();
        List<String> lines = List.of(entries.out().split("\n"));
        assertThat(lines).hasSize(15);
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.get("id").asText()).isEqualTo("r2");
        assertThat(second.get("node").asText()).isEqualTo("cli-test");
        assertThat(second.get("decision").asText()).isEqualTo("deny");
        assertThat(second.get("principal_facts").get("citizenships").get(0).asText())
                .isEqualTo("CN");
        assertThat(JSON.readTree(lines.get(14)).get("principal_facts").isNull()).isTrue(); // the unknown principal

        CliRun verify = CliRun.of("log", "verify", "--config", config.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }

    @Test
    void decideStopsWithALocatedErrorOnABadRequestLine(@TempDir Path dir) throws IOException {
        Path requests = dir.resolve("requests.jsonl");
        Files.writeString(
                requests,
                "{\"id\": \"ok\", \"principal\": \"alice\", \"model\": \"m\"}\n{\"id\": \"bad\", \"principal\": \"alice\"}\n");
        CliRun run = CliRun.of(
                "decide",
                "--directives",
                EXAMPLES.resolve("directives").toString(),
                "--principals",
                EXAMPLES.resolve("principals.jsonl").toString(),
                "--requests",
                requests.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(requests + ":2: field 'model': required");
    }

    @Test
    void decideRejectsABadPrincipalsFileNamingTheLine(@TempDir Path dir) throws IOException {
        Path principals = dir.resolve("p.jsonl");
        Files.writeString(principals, "{\"id\": \"a\"}\n\n{\"id\": \"b\", \"citizenships\": \"US\"}\n");
        CliRun run = CliRun.of(
                "decide",
                "--directives",
                EXAMPLES.resolve("directives").toString(),
                "--principals",
                principals.toString(),
                "--requests",
                EXAMPLES.resolve("requests.jsonl").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(principals + ":3: field 'citizenships': expected a list of strings");
        assertThat(run.out()).isEmpty();
    }
}
