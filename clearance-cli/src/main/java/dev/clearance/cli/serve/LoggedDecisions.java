package dev.clearance.cli.serve;

import dev.clearance.core.Decision;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import dev.clearance.gateway.DecisionRecorder;
import dev.clearance.log.DecisionEntry;
import dev.clearance.log.DecisionLog;
import java.util.concurrent.CompletionStage;

/** The gateway's decisions, appended to the tamper-evident decision log; each completes when durable. */
record LoggedDecisions(DecisionLog log, String node) implements DecisionRecorder {
    @Override
    public CompletionStage<Void> record(Request request, Principal principal, Decision decision) {
        return log.append(DecisionEntry.of(node, request, principal, decision)).thenApply(index -> null);
    }
}
