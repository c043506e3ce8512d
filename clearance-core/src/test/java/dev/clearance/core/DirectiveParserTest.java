package dev.clearance.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectiveParserTest {
    static final String GOOD = """
            id: d1
            title: A directive
            authority: "15 CFR 734.13"
            reference: https://example.gov/d1
            effective_from: 2026-11-24T14:00:00Z
            effective_until: 2027-01-01T00:00:00+01:00
            scope:
              models: ["frontier-*"]
              capabilities: ["offensive-cyber*"]
            applies_to: "!principal.us_person"
            effect: deny
            exempt:
              licenses: [deemed-export-license]
            mode: shadow
            message: U.S. persons only
            """;

    static List<Problem> problems(String yaml) {
        try {
            Policy.compile(DirectiveParser.parse("f.yaml", yaml));
        } catch (PolicyException e) {
            return e.problems();
        }
        throw new AssertionError("expected the directive to be rejected:\n" + yaml);
    }

    @Test
    void every_field_of_a_directive_is_read() throws PolicyException {
        Directive d = DirectiveParser.parse("f.yaml", GOOD).get(0);
        assertThat(d.id()).isEqualTo("d1");
        assertThat(d.authority()).isEqualTo("15 CFR 734.13");
        assertThat(d.effectiveFrom()).isEqualTo(Instant.parse("2026-11-24T14:00:00Z"));
        assertThat(d.effectiveUntil()).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
        assertThat(d.models()).containsExactly("frontier-*");
        assertThat(d.capabilities()).containsExactly("offensive-cyber*");
        assertThat(d.exemptLicenses()).containsExactly("deemed-export-license");
        assertThat(d.mode()).isEqualTo(Directive.Mode.SHADOW);
        assertThat(d.message()).isEqualTo("U.S. persons only");
        assertThat(d.source().text()).startsWith("id: d1").contains("message: U.S. persons only");
    }

    @Test
    void mode_defaults_to_enforce_and_capabilities_to_everything() throws PolicyException {
        Directive d = DirectiveParser.parse("f.yaml", """
                id: d
                title: t
                effective_from: 2026-01-01T00:00:00Z
                scope: {models: ['*']}
                applies_to: 'true'
                """).get(0);
        assertThat(d.mode()).isEqualTo(Directive.Mode.ENFORCE);
        assertThat(d.capabilities()).containsExactly("*");
        assertThat(d.effectiveUntil()).isNull();
    }

    @Test
    void several_documents_in_one_file_are_read_and_json_is_read_as_yaml() throws PolicyException {
        List<Directive> ds = DirectiveParser.parse(
                "f.yaml",
                GOOD + "---\n"
                        + "{\"id\": \"d2\", \"title\": \"t\", \"effective_from\": \"2026-01-01T00:00:00Z\", "
                        + "\"scope\": {\"models\": [\"m\"]}, \"applies_to\": \"true\"}\n");
        assertThat(ds).extracting(Directive::id).containsExactly("d1", "d2");
    }

    @Test
    void an_unknown_key_is_rejected_naming_its_line_and_the_valid_keys() {
        List<Problem> p = problems(GOOD.replace("message:", "mesage:"));
        assertThat(p).singleElement().satisfies(pr -> {
            assertThat(pr.line()).isEqualTo(15);
            assertThat(pr.column()).isEqualTo(1);
            assertThat(pr.message()).contains("unknown field 'mesage'").contains("message");
        });
    }

    @Test
    void an_unknown_key_inside_scope_is_rejected() {
        assertThat(problems(GOOD.replace("  capabilities:", "  capability:")))
                .singleElement()
                .asString()
                .contains("f.yaml:9:3")
                .contains("unknown field 'capability' in scope");
    }

    @Test
    void missing_required_fields_are_rejected() {
        List<Problem> p = problems("""
                title: t
                scope: {}
                """);
        assertThat(p)
                .extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("'id'"))
                .anySatisfy(m -> assertThat(m).contains("'effective_from'"))
                .anySatisfy(m -> assertThat(m).contains("'scope.models'"))
                .anySatisfy(m -> assertThat(m).contains("'applies_to'"));
    }

    @Test
    void an_empty_model_list_is_rejected() {
        assertThat(problems(GOOD.replace("models: [\"frontier-*\"]", "models: []")))
                .singleElement()
                .asString()
                .contains("f.yaml:8")
                .contains("'scope.models' must not be empty");
    }

    @Test
    void a_timestamp_without_an_offset_or_malformed_is_rejected() {
        assertThat(problems(GOOD.replace("2026-11-24T14:00:00Z", "2026-11-24T14:00:00")))
                .singleElement()
                .asString()
                .contains("f.yaml:5:17")
                .contains("RFC 3339");
        assertThat(problems(GOOD.replace("2026-11-24T14:00:00Z", "yesterday")))
                .singleElement()
                .asString()
                .contains("effective_from");
    }

    @Test
    void an_end_that_is_not_after_the_start_is_rejected() {
        assertThat(problems(GOOD.replace("2027-01-01T00:00:00+01:00", "2026-11-24T14:00:00Z")))
                .singleElement()
                .asString()
                .contains("f.yaml:6")
                .contains("must be after effective_from");
    }

    @Test
    void an_unsupported_effect_or_mode_is_rejected() {
        assertThat(problems(GOOD.replace("effect: deny", "effect: allow")))
                .singleElement()
                .asString()
                .contains("f.yaml:11:9")
                .contains("valid: deny");
        assertThat(problems(GOOD.replace("mode: shadow", "mode: audit")))
                .singleElement()
                .asString()
                .contains("f.yaml:14:7")
                .contains("valid: enforce, shadow");
    }

    @Test
    void a_reference_that_is_not_a_url_is_rejected() {
        assertThat(problems(GOOD.replace("https://example.gov/d1", "see memo")))
                .singleElement()
                .asString()
                .contains("f.yaml:4")
                .contains("URL");
    }

    @Test
    void duplicate_ids_across_files_are_rejected() {
        assertThatThrownBy(() -> DirectiveParser.parseAll(
                        Map.of("a.yaml", GOOD, "b.yaml", GOOD.replace("d1\ntitle", "d1\ntitle"))))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("duplicate directive id 'd1'");
    }

    @Test
    void yaml_syntax_errors_are_rejected_with_their_position() {
        assertThat(problems("id: d\ntitle: [unclosed\n"))
                .singleElement()
                .asString()
                .startsWith("f.yaml:")
                .contains("YAML syntax error");
    }

    @Test
    void a_misspelled_field_in_the_condition_is_rejected_pointing_into_the_expression() {
        List<Problem> p = problems(GOOD.replace("!principal.us_person", "!principal.us_persn"));
        assertThat(p).singleElement().satisfies(pr -> {
            assertThat(pr.line()).isEqualTo(10);
            assertThat(pr.column()).isBetween(14, 33);
            assertThat(pr.message()).contains("undefined field 'us_persn'");
        });
    }

    @Test
    void a_type_mismatch_in_the_condition_is_rejected() {
        assertThat(problems(GOOD.replace("!principal.us_person", "principal.identity_assurance == 'high'")))
                .singleElement()
                .asString()
                .contains("f.yaml:10:")
                .contains("no matching overload");
    }

    @Test
    void a_condition_that_is_not_boolean_is_rejected() {
        assertThat(problems(GOOD.replace("\"!principal.us_person\"", "principal.citizenships")))
                .singleElement()
                .asString()
                .contains("f.yaml:10:")
                .contains("expected type 'bool'");
    }

    @Test
    void a_condition_syntax_error_is_rejected() {
        assertThat(problems(GOOD.replace("\"!principal.us_person\"", "\"principal.us_person &&\"")))
                .singleElement()
                .asString()
                .contains("f.yaml:10:");
    }

    @Test
    void an_error_on_the_second_line_of_a_block_scalar_condition_is_located_there() {
        String yaml = GOOD.replace(
                "applies_to: \"!principal.us_person\"",
                "applies_to: |\n  principal.us_person &&\n    principal.identity_assurance == 'high'");
        assertThat(problems(yaml)).singleElement().satisfies(pr -> {
            assertThat(pr.line()).isEqualTo(12);
            assertThat(pr.column()).isEqualTo(34);
        });
    }

    @Test
    void every_problem_of_a_document_is_reported_not_just_the_first() {
        List<Problem> p = problems(GOOD.replace("effect: deny", "effect: allow")
                .replace("mode: shadow", "mode: x")
                .replace("title: A directive", "titel: A directive"));
        assertThat(p).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void a_bad_effect_and_a_misspelt_condition_field_are_both_reported_in_one_pass() {
        List<Problem> p = problems(
                GOOD.replace("effect: deny", "effect: block").replace("!principal.us_person", "!principal.us_persn"));
        assertThat(p).hasSize(2);
        assertThat(p.get(0).toString()).contains("f.yaml:11:9").contains("'block' is not supported");
        assertThat(p.get(1)).satisfies(pr -> {
            assertThat(pr.line()).isEqualTo(10);
            assertThat(pr.column()).isBetween(14, 33);
            assertThat(pr.message()).contains("directive 'd1'").contains("undefined field 'us_persn'");
        });
    }

    @Test
    void a_document_with_schema_errors_and_a_sound_condition_reports_only_the_schema_errors() {
        assertThat(problems(GOOD.replace("effect: deny", "effect: block")))
                .singleElement()
                .asString()
                .contains("'block' is not supported");
    }
}
