package dev.clearance.gateway;

import dev.clearance.core.ContentClassification;
import dev.clearance.core.Decision;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Policy;
import dev.clearance.core.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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
final class Enforcement implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Enforcement.class);

    private final DecisionRecorder recorder;
    private final GatewayMetrics metrics;
    private final Duration recordTimeout;
    private final RecordDeadlines deadlines;

    Enforcement(DecisionRecorder recorder, GatewayMetrics metrics, Duration recordTimeout) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.recordTimeout = Objects.requireNonNull(recordTimeout, "recordTimeout");
        this.deadlines = new RecordDeadlines(recordTimeout);
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
        return decide(policy, caller, request, null);
    }

    /**
     * As {@link #decide(Policy, Callers.Resolved, Request)}, for a request whose content was classified
     * (null: it was not): the classification is recorded with the decision, and whatever kept the
     * classifier from answering fully is among the decision's errors.
     */
    Ruling decide(Policy policy, Callers.Resolved caller, Request request, ContentClassification content) {
        Decision decision = withContentErrors(DecisionPoint.decide(policy, caller.facts(), request), content);
        Ruling ruling = record(request, caller, decision, content);
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
        return withhold(policy, caller, request, null);
    }

    /**
     * As {@link #withhold(Policy, Callers.Resolved, Request)}, with what the classifier found (in an
     * answer that is streaming, say), recorded with a denial.
     */
    Optional<Ruling> withhold(Policy policy, Callers.Resolved caller, Request request, ContentClassification content) {
        Decision decision = withContentErrors(DecisionPoint.decide(policy, caller.facts(), request), content);
        return decision.allowed() ? Optional.empty() : Optional.of(record(request, caller, decision, content));
    }

    /** Every error is visible in the decision: a classifier that failed closed says so there. */
    private static Decision withContentErrors(Decision d, ContentClassification content) {
        if (content == null || content.errors().isEmpty()) {
            return d;
        }
        List<String> errors = new ArrayList<>(d.errors());
        content.errors().forEach(e -> errors.add("content classification: " + e));
        return new Decision(d.id(), d.outcome(), d.directives(), d.shadow(), errors, d.message(), d.policyVersion());
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
        handOver(request.withId(failed.id()), caller, failed, null);
    }

    private Ruling record(Request request, Callers.Resolved caller, Decision decision, ContentClassification content) {
        metrics.decision(decision);
        return new Ruling(decision, handOver(request, caller, decision, content));
    }

    /** Hands the decision (and what the content classifier found, or null) to the recorder; a record that fails is logged here, once. */
    private CompletableFuture<Void> handOver(
            Request request, Callers.Resolved caller, Decision decision, ContentClassification content) {
        CompletableFuture<Void> recorded =
                bounded(() -> recorder.record(request, caller.principal(), decision, content));
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
        return deadlines.bound(stage);
    }

    /** Stops the watchdog that applies the record timeout. */
    @Override
    public void close() {
        deadlines.close();
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
