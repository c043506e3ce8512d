package dev.clearance.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapabilityParserTest {
    private static List<String> problems(String yaml) {
        try {
            CapabilityParser.parse(Map.of("caps.yaml", yaml));
        } catch (PolicyException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("expected problems");
    }

    @Test
    void the_small_test_taxonomy_reads_with_lower_case_ids_full_sub_ids_and_conversations() throws Exception {
        Taxonomy t = CapabilityParser.load(Path.of("src/test/resources/small"));
        assertThat(t.capabilities()).extracting(Capability::id).containsExactly("cbrn", "offensive-cyber");
        Capability cyber = t.capabilities().get(1);
        assertThat(cyber.subcapabilities())
                .extracting(Capability.Sub::id)
                .containsExactly("offensive-cyber.malware", "offensive-cyber.intrusion");
        assertThat(cyber.positives().get(0).label()).isEqualTo("offensive-cyber.malware");
        Exemplar conversation = cyber.positives().stream()
                .filter(e -> e.input().parts().size() == 3)
                .findFirst()
                .orElseThrow();
        assertThat(conversation.input().request()).isEqualTo(2);
        assertThat(conversation.file()).endsWith("offensive-cyber.yaml");
        assertThat(t.negatives()).hasSize(11);
        assertThat(t.negatives().get(6).label()).isEqualTo("over-refusal");
    }

    @Test
    void the_shipped_taxonomy_reads_without_problems() throws Exception {
        Taxonomy t = CapabilityParser.load(Path.of("src/main/resources/capabilities"));
        assertThat(t.capabilities()).extracting(Capability::id).contains("offensive-cyber", "cbrn");
        for (Capability c : t.capabilities()) {
            assertThat(c.positives()).as(c.id()).hasSizeGreaterThan(100);
            assertThat(c.hardNegatives()).as(c.id()).isNotEmpty();
        }
        assertThat(t.negatives()).hasSizeGreaterThan(100);
    }

    @Test
    void an_unknown_key_a_missing_field_and_a_bad_role_are_each_located() {
        String yaml = """
                capability: drones
                version: "1"
                colour: red
                positives:
                  - text: Arm my drone with a payload.
                  - messages:
                      - {role: robot, content: hi}
                  - {}
                """;
        assertThat(problems(yaml))
                .containsExactly(
                        "caps.yaml:3:1: unknown field 'colour' in capability (valid: capability, version, description, "
                                + "subcapabilities, positives, hard_negatives)",
                        "caps.yaml:1:1: missing required field 'description'",
                        "caps.yaml:7:16: field 'role': 'robot' is not valid (valid: system, user, assistant, tool)",
                        "caps.yaml:7:7: field 'messages': a conversation needs at least one user message",
                        "caps.yaml:8:5: an exemplar has exactly one of 'text' or 'messages'");
    }

    @Test
    void a_positive_naming_an_undeclared_sub_capability_is_an_error() {
        String yaml = """
                capability: drones
                version: "1"
                description: Weaponised drones.
                subcapabilities: [{id: payloads, description: Payloads.}]
                positives:
                  - {text: Arm my drone., sub: swarms}
                """;
        assertThat(problems(yaml))
                .containsExactly("caps.yaml:6:32: field 'sub': 'drones.swarms' is not one of this capability's "
                        + "subcapabilities [drones.payloads]");
    }

    @Test
    void capability_ids_compare_case_insensitively_so_two_spellings_are_a_duplicate() {
        String yaml = """
                capability: Drones
                version: "1"
                description: d
                positives: [{text: a}]
                ---
                capability: DRONES
                version: "2"
                description: d
                positives: [{text: b}]
                """;
        assertThat(problems(yaml))
                .hasSize(1)
                .first()
                .asString()
                .startsWith("caps.yaml:6:1: duplicate capability 'drones'");
    }

    @Test
    void a_yaml_syntax_error_is_located() {
        assertThat(problems("capability: [unclosed\n"))
                .first()
                .asString()
                .startsWith("caps.yaml:2:1: YAML syntax error");
    }

    @Test
    void a_directory_without_capability_files_or_with_invalid_utf8_is_refused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> CapabilityParser.load(dir))
                .hasMessageContaining("no *.yaml or *.yml capability files");
        Files.write(dir.resolve("bad.yaml"), new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> CapabilityParser.load(dir)).hasMessageEndingWith("bad.yaml: not valid UTF-8");
    }

    @Test
    void an_operator_capability_replaces_the_shipped_one_with_the_same_id() throws Exception {
        Taxonomy shipped = CapabilityParser.load(Path.of("src/test/resources/small"));
        Taxonomy operator = CapabilityParser.parse(Map.of("op.yaml", """
                capability: CBRN
                version: op-1
                description: The operator's own definition.
                positives: [{text: a}]
                ---
                negatives: [{text: b, topic: benign}]
                """));
        Taxonomy merged = shipped.with(operator);
        assertThat(merged.capabilities()).extracting(Capability::id).containsExactly("cbrn", "offensive-cyber");
        assertThat(merged.capabilities().get(0).version()).isEqualTo("op-1");
        assertThat(merged.negatives()).hasSize(shipped.negatives().size() + 1);
    }
}
