package dev.clearance.core;

import static dev.clearance.core.Fixtures.NOW;
import static dev.clearance.core.Fixtures.directive;
import static dev.clearance.core.Fixtures.license;
import static dev.clearance.core.Fixtures.policy;
import static dev.clearance.core.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelNameTest {
    static final Policy MYTHOS = policy(directive(
            "mythos-us-only",
            "scope: {models: ['mythos-5']}",
            "applies_to: '!principal.us_person'",
            "exempt: {licenses: [deemed-export-license]}"));
    static final Principal FOREIGN =
            Principal.builder("chen").citizenships("CN").build();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mythos-5",
                "MYTHOS-5",
                "Mythos-5",
                " mythos-5",
                "mythos-5 ",
                "library/mythos-5",
                "registry.ollama.ai/library/mythos-5",
                "mythos-5:latest",
                "library/Mythos-5:LATEST",
                "mythos\u20115", // non-breaking hyphen
                "mythos\u20145", // em dash
                "mythos\u22125", // minus sign
                "\uff4dythos-5", // fullwidth m
                "\uff2d\uff39\uff34\uff28\uff2f\uff33\uff0d\uff15", // fullwidth MYTHOS-5
                "mythos-\u2075", // superscript five
                "\u00a0mythos-5\u3000" // no-break and ideographic spaces
            })
    void every_spelling_of_a_model_has_the_same_key(String spelling) {
        assertThat(ModelName.key(spelling)).isEqualTo("mythos-5");
    }

    @Test
    void case_folding_meets_expanded_forms() {
        assertThat(ModelName.key("STRASSE")).isEqualTo(ModelName.key("straße"));
        assertThat(ModelName.key("ΣΊΣΥΦΟΣ")).isEqualTo(ModelName.key("σίσυφος"));
    }

    @Test
    void other_tags_and_namespaces_stay_distinct() {
        assertThat(ModelName.key("mythos-5:70b")).isEqualTo("mythos-5:70b");
        assertThat(ModelName.key("acme/mythos-5")).isEqualTo("acme/mythos-5");
        assertThat(ModelName.key("mythos-50")).isNotEqualTo(ModelName.key("mythos-5"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u0000mythos-5",
                "mythos-5\u0000",
                "myth\u200bos-5", // zero-width space
                "\ufeffmythos-5", // byte-order mark
                "mythos\u00ad-5", // soft hyphen
                "mythos-5\n",
                "mythos-5\u2028",
                "\ue000mythos-5", // private use
                "mythos-5\ud800" // unpaired surrogate
            })
    void names_with_invisible_or_control_characters_are_refused_not_cleaned(String name) {
        assertThat(ModelName.problem(name)).contains("U+");
    }

    @Test
    void a_name_over_the_limit_is_refused_without_being_quoted() {
        String huge = "m".repeat(1 << 20);
        assertThat(ModelName.problem(huge))
                .isEqualTo("is 1048576 characters long; a model name has at most 256")
                .doesNotContain("mmm");
        assertThat(ModelName.problem("m".repeat(ModelName.MAX_LENGTH))).isNull();
    }

    @Test
    void a_name_of_spaces_or_bare_affixes_has_an_empty_key() {
        assertThat(ModelName.key("   ")).isEmpty();
        assertThat(ModelName.key("library/:latest")).isEmpty();
    }

    @Property
    void a_key_is_its_own_key(@ForAll String name) {
        String key = ModelName.key(name);
        assertThat(ModelName.key(key)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MYTHOS-5", "Mythos-5", " mythos-5", "library/mythos-5", "mythos\u20115", "\uff4dythos-5"})
    void a_directive_covers_every_spelling_of_its_models(String spelling) {
        Decision d = DecisionPoint.decide(MYTHOS, FOREIGN, request("chen", spelling));
        assertThat(d.allowed()).isFalse();
        assertThat(d.directives()).containsExactly("mythos-us-only");
    }

    @Test
    void a_directive_glob_written_in_capitals_covers_lower_case_names() {
        Policy p = policy(directive("caps", "scope: {models: ['FRONTIER-*']}", "applies_to: 'true'"));
        assertThat(DecisionPoint.decide(p, FOREIGN, request("chen", "frontier-x"))
                        .allowed())
                .isFalse();
    }

    @Test
    void a_license_covers_every_spelling_of_its_models() {
        Instant from = NOW.minusSeconds(3600);
        Instant until = NOW.plusSeconds(3600);
        Principal holder = Principal.builder("farah")
                .citizenships("IR")
                .licenses(license("deemed-export-license", from, until, "Mythos-*"))
                .build();
        assertThat(DecisionPoint.decide(MYTHOS, holder, request("farah", "MYTHOS-5"))
                        .allowed())
                .isTrue();
    }

    @Test
    void the_model_index_remembers_no_long_name_and_at_most_its_limit_of_names() {
        Policy p = policy(directive("any", "scope: {models: ['*']}", "applies_to: 'true'"));
        String huge = "m".repeat(1 << 20);
        for (int i = 0; i < 20; i++) {
            assertThat(DecisionPoint.decide(p, FOREIGN, request("chen", huge + i))
                            .allowed())
                    .isFalse();
        }
        assertThat(p.modelIndexSize()).isZero();
        for (int i = 0; i < 10_500; i++) {
            p.candidates("model-" + i);
        }
        assertThat(p.modelIndexSize()).isEqualTo(10_000);
    }

    @Test
    void the_capability_index_remembers_no_long_name() {
        Policy p = policy(directive("cap", "scope: {models: ['*'], capabilities: ['cyber.*']}", "applies_to: 'true'"));
        String huge = "c".repeat(1 << 20);
        for (int i = 0; i < 20; i++) {
            DecisionPoint.decide(p, FOREIGN, request("chen", "m", NOW, "", huge + i));
        }
        assertThat(p.capabilityIndexSize()).isZero();
    }
}
