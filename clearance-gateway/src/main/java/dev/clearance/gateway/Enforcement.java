package dev.clearance.gateway;

import dev.clearance.core.Decision;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Policy;
import dev.clearance.core.Request;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a decision takes effect on this node. Every decision that changes what a caller receives —
 * a model call's answer, an admin decide answer, a stream cut, a model withheld from a list — is made
 * here by the decision point, counted in the metrics and handed to the {@link DecisionRecorder} (as is
 * an allowed call whose upstream never answered, see {@link #upstreamFailed}); a
 * policy change made or applied on this node is recorded here too. No other class of the gateway
 * decides or records.
 *
 * <p>One bound, the record timeout, says how long a record may take to be accepted from the moment
 * it is handed over; a record not accepted by then has failed. Fail closed: an allowed decision whose
 * record failed is never released ({@link Ruling#release} throws {@link Unrecorded}); a denial stands
 * either way, and a stream cut or a policy change is never held up by the log (a restriction never
 * waits). Every failed record is logged here, once.
 */
final class Enforcement {
    private static final Logger LOG = LoggerFactory.getLogger(Enforcement.class);

    private final DecisionRecorder recorder;
    private final GatewayMetrics metrics;
    private final Duration recordTimeout;

    Enforcement(DecisionRecorder recorder, GatewayMetrics metrics, Duration recordTimeout) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.recordTimeout = Objects.requireNonNull(recordTimeout, "recordTimeout");
    }

    /**
     * Decides a call whose answer depends on the decision: counted and recorded, allow or deny. Returns
     * once the log writer has accepted the record (the recorder's contract), so an allowed call can be
     * forwarded; its answer still waits for the record to be durable ({@link Ruling#release}).
     *
     * @throws Unrecorded when the decision allows and the log writer refused its record outright:
     *     such a call must not reach the upstream at all
     */
    Ruling decide(Policy policy, Callers.Resolved caller, Request request) {
        Ruling ruling = record(request, caller, DecisionPoint.decide(policy, caller.facts(), request));
        if (ruling.decision().allowed() && ruling.recorded().isCompletedExceptionally()) {
            throw new Unrecorded(ruling.decision());
        }
        return ruling;
    }

    /**
     * Decides again about something the caller would otherwise receive (an open stream, a model in a
     * list). Only a denial changes what the caller receives, so only a denial is counted and recorded.
     *
     * @return the recorded denial, or empty while the caller is still allowed
     */
    Optional<Ruling> withhold(Policy policy, Callers.Resolved caller, Request request) {
        Decision decision = DecisionPoint.decide(policy, caller.facts(), request);
        return decision.allowed() ? Optional.empty() : Optional.of(record(request, caller, decision));
    }

    /**
     * Records a change of the directive set, without waiting for it to be durable: the recorder gives
     * the entry its place in the log before this returns, so every decision made after the change is
     * put in force comes after it in the log, and a restriction never waits on the log. A record that
     * fails, or is not durable within the record timeout, is reported here; the change is enforced anyway
     * (the store already holds it).
     */
    void recordPolicyChange(DecisionRecorder.PolicyChange change) {
        bounded(() -> recorder.recordPolicyChange(change)).whenComplete((ok, e) -> {
            if (e != null) {
                LOG.error(
                        "policy change {} {} (version {}) could not be recorded in the decision log within {};"
                                + " enforced anyway",
                        change.kind(),
                        change.directive(),
                        change.policyVersion(),
                        recordTimeout,
                        e instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e);
            }
        });
    }

    /**
     * Records that an allowed call's upstream never answered, so the log shows the caller did not
     * receive the model's answer, and why: a denial with id {@code <call id>.upstream}, no directives,
     * the failure as its error and the allowed decision's policy version. It is not counted as a
     * decision (the decision point allowed the call) and nothing waits for it: the caller's answer is
     * a 502 either way.
     */
    void upstreamFailed(Callers.Resolved caller, Request request, Decision allowed, String reason) {
        Decision failed = new Decision(
                allowed.id() + ".upstream",
                Decision.Outcome.DENY,
                List.of(),
                List.of(),
                List.of(reason),
                "the upstream could not be reached",
                allowed.policyVersion());
        handOver(request.withId(failed.id()), caller, failed);
    }

    private Ruling record(Request request, Callers.Resolved caller, Decision decision) {
        metrics.decision(decision);
        return new Ruling(decision, handOver(request, caller, decision));
    }

    /** Hands the decision to the recorder; a record that fails is logged here, once. */
    private CompletableFuture<Void> handOver(Request request, Callers.Resolved caller, Decision decision) {
        CompletableFuture<Void> recorded = bounded(() -> recorder.record(request, caller.principal(), decision));
        recorded.whenComplete((ok, e) -> {
            if (e != null) {
                LOG.error(
                        "decision {} ({}) could not be recorded in the decision log within {}",
                        decision.id(),
                        decision.outcome().wireName(),
                        recordTimeout,
                        e instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e);
            }
        });
        return recorded;
    }

    /**
     * Records that a policy version is in force on this node, after it is: a restriction never waits on
     * the log. Completes with the log's size once the entry is durable, or {@link #UNRECORDED} when it
     * failed (logged here).
     */
    CompletableFuture<Long> recordPolicyApplied(DecisionRecorder.PolicyApplied applied) {
        return bounded(() -> recorder.recordPolicyApplied(applied)).exceptionally(e -> {
            LOG.error(
                    "policy_applied for version {} could not be recorded in the decision log within {}",
                    applied.policyVersion(),
                    recordTimeout,
                    e instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e);
            return UNRECORDED;
        });
    }

    /** The log size reported for an application the decision log could not record. */
    static final long UNRECORDED = -1;

    /** The recorder's answer, failed when it throws or takes longer than the record timeout. */
    private <T> CompletableFuture<T> bounded(Supplier<CompletionStage<T>> record) {
        CompletionStage<T> stage;
        try {
            stage = record.get();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        // A copy, so the timeout never completes a future the recorder owns.
        return stage.toCompletableFuture().copy().orTimeout(recordTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * A decision and its record, under way.
     *
     * @param recorded completes when the record is accepted; fails when it was refused or took too long
     */
    record Ruling(Decision decision, CompletableFuture<Void> recorded) {
        /**
         * Waits for the record (at most the record timeout from when it was handed over) and gives the
         * decision to act on.
         *
         * @throws Unrecorded when the decision allows and its record failed: the allowed answer is withheld
         */
        Decision release() {
            try {
                recorded.join();
            } catch (CompletionException | CancellationException e) {
                if (decision.allowed()) {
                    throw new Unrecorded(decision);
                }
                // A denial stands without its record (the failure is logged where it was recorded).
            }
            return decision;
        }
    }

    /** An allowed decision could not be recorded, so its answer is withheld. */
    static final class Unrecorded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String decisionId;

        Unrecorded(Decision decision) {
            // An expected outcome when the log is down, logged where it happened: no stack trace.
            super("decision " + decision.id() + " could not be recorded", null, false, false);
            this.decisionId = decision.id();
        }

        String decisionId() {
            return decisionId;
        }
    }
}
