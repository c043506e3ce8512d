package dev.clearance.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyChangeEntryTest {
    /** A screening review as versions before ScreeningReviewEntry wrote it: a policy change with the verdict in 'step'. */
    static final String EARLIER_SCREENING_REVIEW =
            "{\"change\":\"screening_review\",\"time\":\"2026-11-26T12:00:00.250Z\",\"node\":\"node-a\",\"by\":\"rita\","
                    + "\"why\":\"same date of birth\",\"directives\":[],"
                    + "\"step\":\"confirmed principal=elena list=SDN entity=26233\",\"policy_version\":\"\"}";

    static PolicyChangeEntry uploaded() {
        return new PolicyChangeEntry(
                PolicyChangeEntry.Change.DIRECTIVE_UPLOADED,
                DecisionEntryTest.T,
                "node-a",
                "officer@lab",
                "BIS letter 2026-17",
                List.of("dir-7"),
                "",
                "pv-abc");
    }

    @Test
    void a_policy_change_records_what_who_why_and_the_resulting_version() {
        assertThat(uploaded().toJson())
                .isEqualTo(
                        "{\"change\":\"directive_uploaded\",\"time\":\"2026-11-26T12:00:00.250Z\",\"node\":\"node-a\","
                                + "\"by\":\"officer@lab\",\"why\":\"BIS letter 2026-17\",\"directives\":[\"dir-7\"],\"step\":\"\",\"policy_version\":\"pv-abc\"}");
    }

    @Test
    void a_lifecycle_step_names_the_step_and_a_missing_step_is_written_empty() {
        PolicyChangeEntry step = new PolicyChangeEntry(
                PolicyChangeEntry.Change.LIFECYCLE_STEP,
                DecisionEntryTest.T,
                "n",
                "lifecycle",
                "scheduled",
                List.of("dir-7"),
                "shadow->enforce",
                "pv2");
        assertThat(step.toJson()).contains("\"change\":\"lifecycle_step\",").contains("\"step\":\"shadow->enforce\",");
        PolicyChangeEntry noStep = new PolicyChangeEntry(
                PolicyChangeEntry.Change.POLICY_ACTIVATED, DecisionEntryTest.T, "n", "cli", "", List.of(), null, "pv3");
        assertThat(noStep.toJson()).contains("\"change\":\"policy_activated\",").contains("\"step\":\"\",");
    }

    @Test
    void a_policy_change_without_who_made_it_is_refused() {
        assertThatThrownBy(() -> new PolicyChangeEntry(
                        PolicyChangeEntry.Change.DIRECTIVE_WITHDRAWN,
                        DecisionEntryTest.T,
                        "n",
                        " ",
                        "why",
                        List.of(),
                        "",
                        "pv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'by' is blank");
    }
}
