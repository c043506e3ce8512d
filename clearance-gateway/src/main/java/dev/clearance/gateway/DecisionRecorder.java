package dev.clearance.gateway;

import dev.clearance.core.Decision;
import dev.clearance.core.Request;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where every decision the gateway makes is recorded (the tamper-evident decision log in production).
 * The returned stage completes when the record is durable; the gateway sends nothing back to the caller
 * until it has, and answers an error if recording failed (fail closed).
 */
@FunctionalInterface
public interface DecisionRecorder {

    CompletionStage<Void> record(Request request, Decision decision);

    /** Records nothing: for tests and deployments that have not configured a log. */
    DecisionRecorder NONE = (request, decision) -> CompletableFuture.completedFuture(null);
}
