package dev.clearance.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationConfigTest {
    @TempDir
    Path dir;

    private ClassificationConfig load(String yaml, Map<String, String> env) throws Exception {
        return ClearanceConfig.load(Files.writeString(dir.resolve("clearance.yaml"), yaml), env)
                .classification();
    }

    private List<String> problems(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("clearance.yaml"), yaml);
        try {
            ClearanceConfig.load(file, Map.of());
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the configuration to be rejected");
    }

    private String where(int line, int column) {
        return dir.resolve("clearance.yaml") + ":" + line + ":" + column + ": ";
    }

    @Test
    void without_the_section_classification_is_on_whenever_needed_and_answers_are_cut() throws Exception {
        ClassificationConfig c = load("node: n\n", Map.of());
        assertThat(c).isEqualTo(ClassificationConfig.DEFAULT);
        assertThat(c.enabled()).isEmpty();
        assertThat(c.cutAnswers()).isTrue();
        assertThat(c.configured()).isFalse();
    }

    @Test
    void every_key_is_read() throws Exception {
        Files.createDirectories(dir.resolve("caps"));
        ClassificationConfig c = load("""
                classification:
                  enabled: true
                  capabilities: ./caps
                  thresholds: { Offensive-Cyber: 0.7, cbrn: 1 }
                  output: off
                  external:
                    kind: moderation
                    url: http://127.0.0.1:9000/v1/moderations
                    model: omni-moderation-latest
                    api_key_env: GUARD_KEY
                    timeout: 750ms
                    labels: { "illicit/violent": offensive-cyber }
                    threshold: 0.4
                    on_failure: allow
                """, Map.of("GUARD_KEY", "g-secret"));
        assertThat(c.enabled()).contains(true);
        assertThat(c.capabilities()).contains(dir.resolve("caps"));
        assertThat(c.thresholds()).isEqualTo(Map.of("offensive-cyber", 0.7, "cbrn", 1.0));
        assertThat(c.thresholdsAt()).isEqualTo(where(4, 15).replaceAll(": $", ""));
        assertThat(c.cutAnswers()).isFalse();
        ClassificationConfig.External e = c.external().orElseThrow();
        assertThat(e.kind()).isEqualTo("moderation");
        assertThat(e.url()).isEqualTo(URI.create("http://127.0.0.1:9000/v1/moderations"));
        assertThat(e.model()).isEqualTo("omni-moderation-latest");
        assertThat(e.apiKey().orElseThrow().value()).isEqualTo("g-secret");
        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(e.labels()).isEqualTo(Map.of("illicit/violent", "offensive-cyber"));
        assertThat(e.threshold()).isEqualTo(Optional.of(0.4));
        assertThat(e.failClosed()).isFalse();
        assertThat(e.toString()).doesNotContain("g-secret");
    }

    @Test
    void an_external_guard_model_defaults_to_chat_two_seconds_and_failing_closed() throws Exception {
        ClassificationConfig.External e = load("""
                classification:
                  external:
                    url: http://guard:8000/v1/chat/completions
                    labels: { S14: offensive-cyber }
                """, Map.of()).external().orElseThrow();
        assertThat(e.kind()).isEqualTo("chat");
        assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(e.failClosed()).isTrue();
        assertThat(e.prompt()).isEmpty();
    }

    @Test
    void bad_values_are_errors_at_their_line_and_column() throws Exception {
        assertThat(problems("""
                classification:
                  enabled: sometimes
                  output: trim
                  thresholds: { offensive-cyber: 1.5, cbrn: 0 }
                  colour: blue
                  capabilities: ./missing
                """))
                .containsExactlyInAnyOrder(
                        where(5, 3) + "classification: unknown key 'colour' (valid keys in classification: enabled,"
                                + " capabilities, thresholds, output, external)",
                        where(2, 12) + "classification.enabled: expected true or false, got 'sometimes'",
                        where(6, 17) + "classification.capabilities: '" + dir.resolve("missing")
                                + "' is not a directory of capability files",
                        where(4, 34)
                                + "classification.thresholds.offensive-cyber: expected a number from 0.0 to 1.0, got '1.5'",
                        where(4, 45)
                                + "classification.thresholds.cbrn: expected a threshold above 0 and at most 1, got 0",
                        where(3, 11) + "classification.output: expected cut or off, got 'trim'");
    }

    @Test
    void an_unset_external_classifier_key_is_an_error_only_for_serve() throws Exception {
        Path file = Files.writeString(dir.resolve("clearance.yaml"), """
                classification:
                  external:
                    url: http://127.0.0.1:9000/v1/chat/completions
                    api_key_env: MISSING_KEY
                    labels: { S14: offensive-cyber }
                """);
        ClearanceConfig config = ClearanceConfig.load(file, Map.of());
        assertThat(config.classification()
                        .external()
                        .orElseThrow()
                        .apiKey()
                        .orElseThrow()
                        .problem())
                .contains(where(4, 18)
                        + "classification.external.api_key_env: environment variable MISSING_KEY is not set");
        org.assertj.core.api.Assertions.assertThatThrownBy(config::requireSecrets)
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .anySatisfy(p -> assertThat(p).contains("MISSING_KEY is not set")));
    }

    @Test
    void an_external_classifier_is_checked_as_strictly() throws Exception {
        assertThat(problems("""
                classification:
                  external:
                    kind: oracle
                    url: ftp://guard
                    api_key_env: NOT-A-NAME
                    timeout: 2 hours
                    prompt: no placeholder
                    labels: { S14: "not a capability!" }
                    threshold: 0.5
                    on_failure: shrug
                """))
                .containsExactlyInAnyOrder(
                        where(3, 11) + "classification.external.kind: expected chat or moderation, got 'oracle'",
                        where(4, 10)
                                + "classification.external.url: expected an http:// or https:// URL with a host, got 'ftp://guard'",
                        where(5, 18)
                                + "classification.external.api_key_env: 'NOT-A-NAME' is not an environment variable name",
                        where(6, 14)
                                + "classification.external.timeout: expected a duration from 1ms to 10m (e.g. 10s, 500ms, 1m), got '2 hours'",
                        where(7, 13) + "classification.external.prompt: only a chat classifier takes a prompt template",
                        where(8, 20) + "classification.external.labels.S14: 'not a capability!' is not a capability id",
                        where(9, 16)
                                + "classification.external.threshold: only a moderation classifier takes a threshold"
                                + " (a chat guard model's labels are its verdict)",
                        where(10, 17)
                                + "classification.external.on_failure: expected deny (fail closed) or allow, got 'shrug'");
        assertThat(problems("classification:\n  external:\n    kind: chat\n"))
                .containsExactlyInAnyOrder(
                        where(3, 5) + "classification.external: missing required key 'url'",
                        where(3, 5)
                                + "classification.external.labels: missing required key 'labels' (label or category:"
                                + " capability, e.g. { S14: offensive-cyber })");
    }
}
