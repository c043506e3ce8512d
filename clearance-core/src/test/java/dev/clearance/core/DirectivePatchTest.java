package dev.clearance.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DirectivePatchTest {
    static final String DOCUMENT = """
            id: d1
            title: Frontier models for U.S. persons only
            effective_from: 2026-11-24T14:00:00Z
            scope:
              models: ["frontier-x*", "frontier-y*"]
            # the order's own words
            applies_to: "!principal.us_person"
            effect: deny
            exempt:
              licenses: [deemed-export-license]
            message: >-
              Access to this model is restricted
              to U.S. persons.
            """;

    static String apply(String patch) throws PolicyException {
        return DirectivePatch.apply("d1@1", DOCUMENT, "patch.yaml", patch);
    }

    @Test
    void a_new_field_is_appended_and_nothing_else_changes() throws PolicyException {
        assertThat(apply("mode: shadow\n")).isEqualTo(DOCUMENT + "mode: shadow\n");
    }

    @Test
    void a_nested_field_is_merged_into_its_mapping_and_the_comments_around_it_stay() throws PolicyException {
        String amended = apply("scope: { capabilities: [\"offensive-cyber*\"] }\n");

        assertThat(amended)
                .contains("scope:\n  models: [frontier-x*, frontier-y*]\n  capabilities: [offensive-cyber*]\n"
                        + "# the order's own words\napplies_to:");
        assertThat(DirectiveParser.parse("amended", amended).get(0).capabilities())
                .containsExactly("offensive-cyber*");
    }

    @Test
    void a_list_is_replaced_a_scalar_is_rewritten_and_null_removes_a_field() throws PolicyException {
        String amended = apply("""
                exempt: { licenses: [deemed-export-license, export-authorization-employee] }
                message: Offensive-cyber assistance is restricted to U.S. persons.
                effect: null
                """);

        Directive d = DirectiveParser.parse("amended", amended).get(0);
        assertThat(d.exemptLicenses()).containsExactly("deemed-export-license", "export-authorization-employee");
        assertThat(d.message()).isEqualTo("Offensive-cyber assistance is restricted to U.S. persons.");
        assertThat(amended).doesNotContain("effect:").contains("title: Frontier models for U.S. persons only\n");
    }

    @Test
    void a_patch_naming_an_unknown_field_or_the_id_is_refused_with_its_location() {
        assertThatThrownBy(() -> apply("mode: shadow\nscop: { models: [x] }\nid: d2\n"))
                .isInstanceOfSatisfying(
                        PolicyException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::toString)
                                .satisfiesExactly(
                                        p -> assertThat(p).startsWith("patch.yaml:2:1: unknown field 'scop'"),
                                        p -> assertThat(p).startsWith("patch.yaml:3:1: 'id' cannot be amended")));
    }

    @Test
    void a_patch_that_is_not_a_mapping_is_refused() {
        assertThatThrownBy(() -> apply("- mode: shadow\n"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("patch.yaml:1:1: a patch is a mapping");
    }

    @Test
    void merging_follows_json_merge_patch() {
        assertThat(DirectivePatch.merge(java.util.Map.of("a", 1, "b", 2), java.util.Map.of("b", List.of(3))))
                .isEqualTo(java.util.Map.of("a", 1, "b", List.of(3)));
    }
}
