package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The chain itself, with fake stages: order, rejection, and the one-shot contract of {@code proceed}. */
class PipelineTest {
    final List<String> ran = new CopyOnWriteArrayList<>();
    final DecisionIds ids = new DecisionIds(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), () -> new Random(1));

    /** A stage that notes its name, appends it to the call's principal id, and proceeds. */
    Pipeline.Stage passing(String name) {
        return (call, next) -> {
            ran.add(name);
            String trail = call.principalId() == null ? name : call.principalId() + ">" + name;
            next.proceed(call.withIdentity(new Authenticator.Identity(trail, ClaimedFacts.NONE), 0, "key"));
        };
    }

    /** A last stage: notes its name and the principal id it received, and answers (here: returns). */
    Pipeline.Stage answering(String name) {
        return (call, next) -> ran.add(name + " saw " + call.principalId());
    }

    Pipeline pipeline(Pipeline.Stage... stages) {
        return new Pipeline(List.of(stages), ids, new GatewayMetrics());
    }

    static GatewayCall call() {
        return GatewayCall.start(null, ApiStyle.OPENAI, "/v1/test", "call-1");
    }

    @Test
    void stages_run_once_each_in_the_order_written_and_each_gets_what_the_previous_one_passed_on() throws Exception {
        pipeline(passing("a"), passing("b"), passing("c"), answering("end")).start(call());

        assertThat(ran).containsExactly("a", "b", "c", "end saw a>b>c");
    }

    @Test
    void a_rejection_stops_the_call_and_no_later_stage_runs() {
        Pipeline.Stage rejecting = (call, next) -> {
            ran.add("reject");
            throw new Rejection(GatewayError.Kind.PERMISSION, "clearance_denied", "denied");
        };

        assertThatThrownBy(() ->
                        pipeline(passing("a"), rejecting, answering("end")).start(call()))
                .isInstanceOf(Rejection.class)
                .satisfies(e -> assertThat(((Rejection) e).error().status()).isEqualTo(403));
        assertThat(ran).containsExactly("a", "reject");
    }

    @Test
    void a_stage_that_proceeds_twice_fails_loudly_and_the_rest_of_the_chain_runs_only_once() {
        Pipeline.Stage twice = (call, next) -> {
            ran.add("twice");
            next.proceed(call);
            next.proceed(call);
        };

        assertThatThrownBy(() -> pipeline(passing("a"), twice, answering("end")).start(call()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("#2")
                .hasMessageContaining("proceed() twice");
        assertThat(ran).containsExactly("a", "twice", "end saw a");
    }

    @Test
    void a_last_stage_that_proceeds_past_the_end_fails_loudly() {
        Pipeline.Stage pastTheEnd = (call, next) -> {
            ran.add("last");
            next.proceed(call);
        };

        assertThatThrownBy(() -> pipeline(passing("a"), pastTheEnd).start(call()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("#2")
                .hasMessageContaining("last stage");
        assertThat(ran).containsExactly("a", "last");
    }

    @Test
    void a_pipeline_without_stages_is_refused() {
        assertThatThrownBy(() -> pipeline()).isInstanceOf(IllegalArgumentException.class);
    }
}
