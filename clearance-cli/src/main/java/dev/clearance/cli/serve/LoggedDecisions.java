package dev.clearance.cli.serve;

import dev.clearance.core.Decision;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import dev.clearance.gateway.DecisionRecorder;
import dev.clearance.lifecycle.ShadowCounter;
import dev.clearance.log.TransparencyLog;
import dev.clearance.record.DecisionEntry;
import dev.clearance.record.PolicyChangeEntry;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's decisions and policy changes, appended to the tamper-evident decision log; each
 * completes when durable. Shadow hits are also counted for {@code clearance directives shadow-report}.
 */
record LoggedDecisions(TransparencyLog log, String node, ShadowCounter shadow) implements DecisionRecorder {
    @Override
    public CompletionStage<Void> record(Request request, Principal principal, Decision decision) {
        shadow.observe(decision);
        return log.append(DecisionEntry.of(node, request, principal, decision).bytes())
                .thenApply(index -> null);
    }

    @Override
    public CompletionStage<Void> recordPolicyChange(PolicyChange change) {
        PolicyChangeEntry.Change kind = switch (change.kind()) {
            case UPLOADED -> PolicyChangeEntry.Change.DIRECTIVE_UPLOADED;
            case WITHDRAWN -> PolicyChangeEntry.Change.DIRECTIVE_WITHDRAWN;
            case ACTIVATED -> PolicyChangeEntry.Change.POLICY_ACTIVATED;
        };
        return log.append(new PolicyChangeEntry(
                                kind,
                                change.time(),
                                node,
                                change.by(),
                                change.why(),
                                change.directives(),
                                "",
                                change.policyVersion())
                        .bytes())
                .thenApply(index -> null);
    }

    /** {@code policy_applied}, by this node; completes with the log's size once it is durable. */
    @Override
    public CompletionStage<Long> recordPolicyApplied(PolicyApplied applied) {
        String why = applied.activatedAt() == null
                ? "no policy in the store: the empty policy is in force"
                : "policy version " + applied.policyNumber() + ", activated at " + applied.activatedAt()
                        + ", in force on this node";
        return log.append(new PolicyChangeEntry(
                                PolicyChangeEntry.Change.POLICY_APPLIED,
                                applied.appliedAt(),
                                node,
                                node,
                                why,
                                List.of(),
                                "policy " + applied.policyNumber(),
                                applied.policyVersion())
                        .bytes())
                .thenApply(index -> index + 1);
    }
}
