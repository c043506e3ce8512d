package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.core.Decision;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswerGuardTest {
    final KeywordClassifier classifier = new KeywordClassifier();
    final ByteArrayOutputStream caller = new ByteArrayOutputStream();
    final Decision denial = new Decision(
            "d-1", Decision.Outcome.DENY, List.of("cap-offensive-cyber"), List.of(), List.of(), "no", "pv");
    final AnswerGuard guard = new AnswerGuard(
            caller,
            classifier.monitor(),
            answer -> answer.capabilities().isEmpty() ? Optional.empty() : Optional.of(denial),
            new GatewayMetrics());

    static String delta(String text) {
        return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}\n\n";
    }

    void send(String events) throws Exception {
        guard.write(events.getBytes(StandardCharsets.UTF_8));
        guard.flush();
    }

    String delivered() {
        return caller.toString(StandardCharsets.UTF_8);
    }

    @Test
    void text_is_held_until_a_check_has_read_it_then_released_whole() throws Exception {
        send(delta("Here is how"));
        assertThat(delivered()).isEmpty();
        send(delta(" to bake bread."));
        assertThat(delivered()).isEqualTo(delta("Here is how") + delta(" to bake bread."));
    }

    @Test
    void events_without_text_pass_at_once_when_nothing_is_waiting_and_otherwise_trigger_a_check() throws Exception {
        String role = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n";
        send(role);
        assertThat(delivered()).isEqualTo(role);
        send(delta("no full stop"));
        send("data: [DONE]\n\n");
        assertThat(delivered()).isEqualTo(role + delta("no full stop") + "data: [DONE]\n\n");
        assertThat(classifier.checks).hasValue(1);
    }

    @Test
    void a_drift_into_a_restricted_capability_cuts_before_any_of_its_text_is_delivered() throws Exception {
        send(delta("Sure."));
        assertThatThrownBy(() -> send(delta("Now the keylogger") + delta(" hides itself.")))
                .isInstanceOfSatisfying(
                        AnswerGuard.Cut.class, c -> assertThat(c.decision()).isEqualTo(denial));
        assertThat(delivered()).isEqualTo(delta("Sure.")).doesNotContain("keylogger");
    }

    @Test
    void unchecked_text_at_the_end_is_checked_before_it_is_released() throws Exception {
        send(delta("the ransomware"));
        assertThatThrownBy(guard::end).isInstanceOf(AnswerGuard.Cut.class);
        assertThat(delivered()).isEmpty();
    }

    @Test
    void events_split_by_crlf_and_multi_line_data_are_read_as_the_sse_specification_reads_them() throws Exception {
        String event = "event: x\r\ndata: {\"choices\":[{\"delta\":\r\ndata: {\"content\":\"ransomware.\"}}]}\r\n\r\n";
        // Two data lines are joined by a newline: still JSON, and its text is read.
        assertThatThrownBy(() -> send(event)).isInstanceOf(AnswerGuard.Cut.class);
    }
}
