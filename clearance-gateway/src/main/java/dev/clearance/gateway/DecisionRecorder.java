package dev.clearance.gateway;

import dev.clearance.core.Decision;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where every decision the gateway makes is recorded (the tamper-evident decision log in production).
 *
 * <p>Two moments count, and the contract keeps them apart: {@link #record} returns once the record is
 * <em>accepted</em> by the log writer — queued in the writer's order (the decision log's
 * {@code append} puts the entry in its sequencer's queue before it returns) — or refused, by throwing
 * or by returning an already failed stage; the returned stage completes when the record is
 * <em>durable</em>. The gateway calls it from one place ({@code Enforcement}): an allowed call reaches
 * the upstream only after its record was accepted, its answer is released only once the stage has
 * completed, within the configured record timeout, and is withheld (an error) when recording failed
 * (fail closed).
 *
 * <p>The principal is the one the decision was made on (its facts belong in the record, so an
 * auditor can tell from the log alone why a caller was allowed), or null for an unknown principal.
 */
@FunctionalInterface
public interface DecisionRecorder {

    CompletionStage<Void> record(Request request, Principal principal, Decision decision);

    /**
     * Records a change of the directive set made through this gateway, or made elsewhere and about to
     * be put in force here, so every later decision can be placed after the change that produced its
     * policy version. The entry takes its place in the record before this returns (the stage completes
     * once it is durable), so the node puts the change in force without waiting and every decision
     * under it still comes after it. Recorders that keep only decisions ignore it.
     */
    default CompletionStage<Void> recordPolicyChange(PolicyChange change) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Records that this node put a policy version in force ({@code policy_applied}), after it did: the
     * node's own proof of application. Completes with the log's size once the entry is durable (the
     * entry is the last one counted), which the node publishes beside it in the store. Recorders that
     * keep no log complete with 0.
     */
    default CompletionStage<Long> recordPolicyApplied(PolicyApplied applied) {
        return CompletableFuture.completedFuture(0L);
    }

    /**
     * A policy version this node put in force.
     *
     * @param policyNumber  the stored version's number (0: the store has no policy, the empty one is enforced)
     * @param policyVersion its content hash, as decisions carry it
     * @param activatedAt   when it was activated (anywhere), null for none
     * @param appliedAt     when this node put it in force
     */
    record PolicyApplied(
            String node, long policyNumber, String policyVersion, Instant activatedAt, Instant appliedAt) {}

    /**
     * A change of the directive set.
     *
     * @param directives    the directives it touched: the one uploaded or withdrawn, or for a policy
     *                      version made elsewhere, its directive versions ({@code id@version})
     * @param policyVersion the version of the policy that results
     */
    record PolicyChange(Kind kind, List<String> directives, String by, String why, String policyVersion, Instant time) {
        public PolicyChange {
            directives = List.copyOf(directives);
        }

        /** A change of one directive (an upload or a withdrawal through this gateway). */
        public PolicyChange(Kind kind, String directive, String by, String why, String policyVersion, Instant time) {
            this(kind, directive.isEmpty() ? List.of() : List.of(directive), by, why, policyVersion, time);
        }

        /** The first directive it touched, "" for none. */
        public String directive() {
            return directives.isEmpty() ? "" : directives.get(0);
        }

        /** What happened to the directive. */
        public enum Kind {
            UPLOADED,
            WITHDRAWN,
            /** A policy version made elsewhere (CLI, lifecycle, another node) took effect on this node. */
            ACTIVATED
        }
    }

    /** Records nothing: for tests and deployments that have not configured a log. */
    DecisionRecorder NONE = (request, principal, decision) -> CompletableFuture.completedFuture(null);
}
