package dev.clearance.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextDiffTest {
    @Test
    void an_added_exemption_shows_as_added_lines_between_unchanged_ones() {
        String v1 = "id: d\napplies_to: \"!principal.us_person\"\nmode: enforce\n";
        String v2 = "id: d\napplies_to: \"!principal.us_person && principal.identity_assurance < 2\"\nmode: enforce\n";
        assertThat(TextDiff.lines(v1, v2))
                .containsExactly(
                        "  id: d",
                        "- applies_to: \"!principal.us_person\"",
                        "+ applies_to: \"!principal.us_person && principal.identity_assurance < 2\"",
                        "  mode: enforce");
    }

    @Test
    void identical_texts_have_no_changed_line() {
        assertThat(TextDiff.lines("a\nb\n", "a\nb\n")).containsExactly("  a", "  b");
    }
}
