package dev.clearance.gateway;

import dev.clearance.core.ContentClassification;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Classify content, between the request context and the decision: {@code request.capabilities}
 * becomes the declared ones ({@code clearance-capabilities}) together with those the classifier finds
 * in the conversation. Classification adds, never removes. It runs only when its answer can change the
 * decision ({@link DecisionPoint#capabilityOpen} under the policy snapshot the decision will use), so
 * a caller no capability directive can restrict pays nothing.
 *
 * <p>Fail closed: when the classifier could not read everything a model would (text past its chunk
 * cap, a prompt given as token ids), every capability it knows is assumed present, and the decision's
 * errors say why.
 */
record ClassifyContent(ActivePolicy policy, ContentInspection inspection, GatewayMetrics metrics)
        implements Pipeline.Stage {
    @Override
    public void handle(GatewayCall call, Pipeline.Chain next) throws Exception {
        Policy snapshot = policy.current();
        ContentClassifier classifier = inspection.classifier().orElse(null);
        if (classifier == null
                || call.body() == null
                || !DecisionPoint.capabilityOpen(snapshot, call.caller().facts(), call.request())) {
            next.proceed(call.withContent(new ContentCheck(snapshot, false, null)));
            return;
        }
        Conversation conversation =
                Conversations.of(call.endpoint(), call.body().bytes());
        long start = System.nanoTime();
        ContentClassification found = failClosed(classifier.classify(conversation), conversation, classifier);
        metrics.classification(ContentClassification.Read.REQUEST, Duration.ofNanos(System.nanoTime() - start));
        next.proceed(call.withRequest(
                        call.request().withCapabilities(union(call.request().capabilities(), found)))
                .withContent(new ContentCheck(snapshot, true, found)));
    }

    /** The declared capabilities, then those found or assumed, each once. */
    static List<String> union(List<String> declared, ContentClassification found) {
        LinkedHashSet<String> all = new LinkedHashSet<>(declared);
        all.addAll(found.capabilities());
        return List.copyOf(all);
    }

    /**
     * A classification that left text unread assumes every capability it did not find: a caller must
     * not escape a capability directive by sending more than the classifier reads.
     */
    static ContentClassification failClosed(
            ContentClassification c, Conversation conversation, ContentClassifier classifier) {
        List<String> reasons = new ArrayList<>();
        if (!c.complete()) {
            reasons.add("content classification incomplete: the input is longer than the classifier reads");
        }
        for (Conversation.Part p : conversation.parts()) {
            if (p instanceof Conversation.Part.NonText n && n.kind().equals(Conversations.TOKENS)) {
                reasons.add("content classification incomplete: " + n.path() + " is given as token ids");
                break;
            }
        }
        if (reasons.isEmpty()) {
            return c;
        }
        LinkedHashSet<String> assumed = new LinkedHashSet<>(c.assumed());
        for (String capability : classifier.capabilities()) {
            if (!c.capabilities().contains(capability)) {
                assumed.add(capability);
            }
        }
        List<String> errors = new ArrayList<>(c.errors());
        for (String r : reasons) {
            errors.add(r + "; capabilities " + String.join(", ", assumed) + " assumed present (fail closed)");
        }
        return new ContentClassification(
                c.classifier(),
                c.version(),
                c.read(),
                c.findings(),
                List.copyOf(assumed),
                c.skipped(),
                c.scores(),
                false,
                errors);
    }
}
