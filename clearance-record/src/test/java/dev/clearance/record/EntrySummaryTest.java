package dev.clearance.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.core.Principal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EntrySummaryTest {
    @Test
    void a_decision_is_summarised_by_its_principal_model_and_outcome() {
        byte[] e = DecisionEntry.of(
                        "n",
                        DecisionEntryTest.request("alice", "frontier-2"),
                        DecisionEntryTest.alice(),
                        DecisionEntryTest.deny())
                .bytes();
        assertThat(EntrySummary.of(e)).isEqualTo(new EntrySummary(DecisionEntryTest.T, "alice", "frontier-2", "deny"));
        assertThat(EntrySummary.of(e).fields()).containsExactly("alice", "frontier-2", "deny");
    }

    @Test
    void policy_changes_and_reviews_old_and_new_are_summarised_as_policy_by_who_made_them() {
        assertThat(EntrySummary.of(PolicyChangeEntryTest.uploaded().bytes()))
                .isEqualTo(new EntrySummary(DecisionEntryTest.T, "officer@lab", "", "policy"));
        assertThat(EntrySummary.of(ScreeningReviewEntryTest.confirmed().bytes()))
                .isEqualTo(new EntrySummary(DecisionEntryTest.T, "rita", "", "policy"));
        assertThat(EntrySummary.of(PolicyChangeEntryTest.EARLIER_SCREENING_REVIEW.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new EntrySummary(DecisionEntryTest.T, "rita", "", "policy"));
    }

    @Test
    void bytes_that_are_no_entry_summarise_to_nothing_instead_of_failing() {
        assertThat(EntrySummary.of("not json".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new EntrySummary(EntrySummary.NO_TIME, "", "", ""));
        assertThat(EntrySummary.of("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new EntrySummary(EntrySummary.NO_TIME, "", "", ""));
        assertThat(EntrySummary.of("{\"time\":\"yesterday\",\"principal\":\"p\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new EntrySummary(EntrySummary.NO_TIME, "p", "", ""));
    }

    @Test
    void an_unknown_principal_is_summarised_by_the_id_it_claimed() {
        byte[] e = DecisionEntry.of(
                        "n", DecisionEntryTest.request("ghost", "m"), (Principal) null, DecisionEntryTest.deny())
                .bytes();
        assertThat(EntrySummary.of(e).principal()).isEqualTo("ghost");
    }
}
