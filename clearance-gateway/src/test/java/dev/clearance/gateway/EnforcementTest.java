package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.core.Decision;
import dev.clearance.core.Policy;
import dev.clearance.core.Principal;
import dev.clearance.core.PrincipalFacts;
import dev.clearance.core.Request;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one decide → record path: what is recorded, and what is released when a record fails. */
class EnforcementTest {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    static final Duration BOUND = Duration.ofMillis(100);

    final Principal alice = Principal.builder("alice").citizenships("US").build();
    final Callers.Resolved known = new Callers.Resolved("alice", alice, PrincipalFacts.of(alice));
    final Callers.Resolved unknown = new Callers.Resolved("ghost", null, null);
    final GatewayMetrics metrics = new GatewayMetrics();
    final List<Decision> recorded = new CopyOnWriteArrayList<>();

    static Request request(String id, String principal) {
        return new Request(id, principal, "open-small", List.of(), NOW, "", "", "/v1/chat/completions");
    }

    /** A recorder that keeps every decision and answers as told. */
    DecisionRecorder answering(CompletionStage<Void> answer) {
        return (request, principal, decision) -> {
            recorded.add(decision);
            return answer;
        };
    }

    Enforcement enforcement(DecisionRecorder recorder) {
        return new Enforcement(recorder, metrics, BOUND);
    }

    @Test
    void every_decided_call_is_counted_and_recorded_allow_or_deny() {
        Enforcement e = enforcement(answering(CompletableFuture.completedFuture(null)));

        Decision allowed =
                e.decide(Policy.empty(), known, request("r1", "alice")).release();
        Decision denied =
                e.decide(Policy.empty(), unknown, request("r2", "ghost")).release();

        assertThat(allowed.allowed()).isTrue();
        assertThat(denied.allowed()).isFalse();
        assertThat(recorded).extracting(Decision::id).containsExactly("r1", "r2");
        assertThat(metrics.scrape())
                .contains("clearance_decisions_total{directive=\"\",result=\"allow\"} 1.0")
                .contains("clearance_decisions_total{directive=\"\",result=\"deny\"} 1.0");
    }

    @Test
    void an_allowed_decision_whose_record_the_log_refuses_stops_before_it_can_be_forwarded() {
        Enforcement e = enforcement(answering(CompletableFuture.failedFuture(new IOException("log closed"))));

        assertThatThrownBy(() -> e.decide(Policy.empty(), known, request("r1", "alice")))
                .isInstanceOf(Enforcement.Unrecorded.class)
                .hasMessageContaining("r1");
        assertThat(recorded).extracting(Decision::id).containsExactly("r1");
    }

    @Test
    void an_allowed_decision_accepted_by_the_log_but_never_durable_is_not_released() {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        Enforcement e = enforcement(answering(durable));

        Enforcement.Ruling ruling = e.decide(Policy.empty(), known, request("r1", "alice"));
        durable.completeExceptionally(new IOException("disk full"));

        assertThatThrownBy(ruling::release)
                .isInstanceOf(Enforcement.Unrecorded.class)
                .hasMessageContaining("r1");
    }

    @Test
    void an_allowed_decision_whose_record_is_not_accepted_within_the_bound_is_not_released() {
        Enforcement e = enforcement(answering(new CompletableFuture<>())); // never answers

        Enforcement.Ruling ruling = e.decide(Policy.empty(), known, request("r1", "alice"));

        assertThatThrownBy(ruling::release).isInstanceOf(Enforcement.Unrecorded.class);
    }

    @Test
    @Timeout(30)
    void a_cut_while_the_answer_waits_for_its_record_neither_releases_it_early_nor_is_lost() throws Exception {
        CompletableFuture<Void> durable = new CompletableFuture<>();
        Enforcement e = new Enforcement(answering(durable), metrics, Duration.ofSeconds(25));
        Enforcement.Ruling ruling = e.decide(Policy.empty(), known, request("r1", "alice"));
        AtomicReference<Decision> released = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread waiter = Thread.ofVirtual().start(() -> {
            released.set(ruling.release());
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        while (waiter.getState() != Thread.State.WAITING && waiter.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(1);
        }

        waiter.interrupt();
        assertThat(waiter.join(Duration.ofMillis(300))).isFalse(); // still waiting for the record
        durable.complete(null);
        waiter.join();

        assertThat(released.get().allowed()).isTrue();
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void a_recorder_that_throws_counts_as_a_refused_record() {
        Enforcement e = enforcement((request, principal, decision) -> {
            throw new IllegalStateException("log closed");
        });

        assertThatThrownBy(() -> e.decide(Policy.empty(), known, request("r1", "alice")))
                .isInstanceOf(Enforcement.Unrecorded.class);
        assertThat(e.decide(Policy.empty(), unknown, request("r2", "ghost"))
                        .release()
                        .allowed())
                .isFalse();
    }

    @Test
    void a_denial_stands_when_its_record_fails() {
        Enforcement e = enforcement(answering(new CompletableFuture<>()));

        Decision denied =
                e.decide(Policy.empty(), unknown, request("r1", "ghost")).release();

        assertThat(denied.allowed()).isFalse();
    }

    @Test
    void a_revisited_answer_is_recorded_only_when_it_is_withheld() {
        Enforcement e = enforcement(answering(CompletableFuture.completedFuture(null)));

        assertThat(e.withhold(Policy.empty(), known, request("r1", "alice"))).isEmpty();
        assertThat(e.withhold(Policy.empty(), unknown, request("r2", "ghost")))
                .hasValueSatisfying(r -> assertThat(r.decision().allowed()).isFalse());

        assertThat(recorded).extracting(Decision::id).containsExactly("r2");
        assertThat(metrics.scrape())
                .contains("clearance_decisions_total{directive=\"\",result=\"deny\"} 1.0")
                .doesNotContain("result=\"allow\"");
    }

    @Test
    @Timeout(30) // fails instead of hanging when the bound is not applied
    void a_policy_change_whose_record_never_completes_is_given_up_on_after_the_bound() {
        List<DecisionRecorder.PolicyChange> changes = new CopyOnWriteArrayList<>();
        Enforcement e = enforcement(new DecisionRecorder() {
            @Override
            public CompletionStage<Void> record(Request request, Principal principal, Decision decision) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> recordPolicyChange(PolicyChange change) {
                changes.add(change);
                return new CompletableFuture<>();
            }
        });

        e.recordPolicyChange(new DecisionRecorder.PolicyChange(
                DecisionRecorder.PolicyChange.Kind.UPLOADED, "d1", "ann", "why", "sha256:1", NOW));

        assertThat(changes)
                .singleElement()
                .satisfies(c -> assertThat(c.directive()).isEqualTo("d1"));
    }
}
