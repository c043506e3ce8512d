package dev.clearance.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    @Test
    void recall_and_false_positive_rate_count_sub_capabilities_under_their_capability() {
        List<Evaluation.Outcome> outcomes = List.of(
                new Evaluation.Outcome(Set.of("offensive-cyber.malware"), Set.of("offensive-cyber"), "cyber"),
                new Evaluation.Outcome(Set.of("offensive-cyber"), Set.of(), "cyber"),
                new Evaluation.Outcome(Set.of(), Set.of("offensive-cyber"), "benign"),
                new Evaluation.Outcome(Set.of(), Set.of(), "benign"),
                new Evaluation.Outcome(Set.of("cbrn"), Set.of("cbrn"), "cbrn"));
        Evaluation.Report r = Evaluation.of(outcomes, List.of("offensive-cyber", "cbrn"));
        assertThat(r.capabilities().get("offensive-cyber")).isEqualTo(new Evaluation.Tally(2, 1, 3, 1));
        assertThat(r.capabilities().get("cbrn")).isEqualTo(new Evaluation.Tally(1, 1, 4, 0));
        assertThat(r.kinds().get("benign")).isEqualTo(new Evaluation.KindTally(0, 0, 2, 1));
        assertThat(r.kinds().get("cyber")).isEqualTo(new Evaluation.KindTally(2, 1, 0, 0));
    }

    @Test
    void a_sweep_trades_recall_for_false_positives_as_the_threshold_falls() {
        List<Set<String>> expected = List.of(Set.of("cbrn"), Set.of("cbrn"), Set.of(), Set.of());
        List<Evaluation.Tally> t =
                Evaluation.sweep(expected, List.of(0.9, 0.4, 0.5, 0.1), "cbrn", new double[] {0.3, 0.6});
        assertThat(t.get(0)).isEqualTo(new Evaluation.Tally(2, 2, 2, 1));
        assertThat(t.get(1)).isEqualTo(new Evaluation.Tally(2, 1, 2, 0));
        assertThat(Evaluation.percent(t.get(1).recall())).isEqualTo("50.0%");
    }
}
