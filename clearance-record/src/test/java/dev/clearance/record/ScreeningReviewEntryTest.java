package dev.clearance.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScreeningReviewEntryTest {
    static ScreeningReviewEntry confirmed() {
        return new ScreeningReviewEntry(
                "confirmed",
                DecisionEntryTest.T,
                "node-a",
                "rita",
                "same date of birth and passport",
                "elena",
                "SDN",
                "26233",
                "e1",
                "s1");
    }

    @Test
    void a_screening_review_has_its_own_fields_in_the_documented_order() {
        assertThat(confirmed().toJson())
                .isEqualTo("{\"review\":\"confirmed\",\"time\":\"2026-11-26T12:00:00.250Z\",\"node\":\"node-a\","
                        + "\"by\":\"rita\",\"why\":\"same date of birth and passport\",\"principal\":\"elena\","
                        + "\"list\":\"SDN\",\"entity\":\"26233\",\"entry_hash\":\"e1\",\"subject_hash\":\"s1\"}");
    }

    @Test
    void a_review_without_a_verdict_or_a_reviewer_is_refused() {
        assertThatThrownBy(() -> new ScreeningReviewEntry(
                        "", DecisionEntryTest.T, "n", "rita", "why", "elena", "SDN", "1", "e", "s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'verdict' is blank");
        assertThatThrownBy(() -> new ScreeningReviewEntry(
                        "confirmed", DecisionEntryTest.T, "n", "", "why", "elena", "SDN", "1", "e", "s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'by' is blank");
    }
}
