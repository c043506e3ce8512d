package dev.clearance.gateway;

import dev.clearance.core.ContentClassification;
import dev.clearance.core.Decision;
import dev.clearance.core.Request;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output side of content classification: for a caller a capability directive could restrict
 * (the content stage found one open), the model's answer is classified before it reaches the caller —
 * a stream as it flows ({@link AnswerGuard}), a whole answer before it is released. When the answer
 * brings in a capability, the call is decided again with it added, through {@link Enforcement}
 * (a denial is recorded with the answer's classification): a denied stream is cut with the live
 * cut's error event, a denied whole answer is replaced by a 403.
 */
final class AnswerChecks {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerChecks.class);
    /** The endpoints whose answers carry text a model wrote. */
    private static final Set<String> ANSWERING =
            Set.of("/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/messages");
    /**
     * A whole answer is fed to the monitor in pieces of this size: each piece is one check (read with
     * the end of the piece before it), small enough to be read whole even in a script of one token
     * per character (64 windows of 128 tokens), large enough that the overlap between checks costs
     * little.
     */
    private static final int PIECE = 4_000;

    private static final Conversation NOTHING = new Conversation(List.of());

    private final ContentInspection inspection;
    private final ActivePolicy policy;
    private final Enforcement enforcement;
    private final DecisionIds ids;
    private final Clock clock;
    private final GatewayMetrics metrics;

    AnswerChecks(
            ContentInspection inspection,
            ActivePolicy policy,
            Enforcement enforcement,
            DecisionIds ids,
            Clock clock,
            GatewayMetrics metrics) {
        this.inspection = inspection;
        this.policy = policy;
        this.enforcement = enforcement;
        this.ids = ids;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** A guard for the call's streamed answer, writing to {@code out}; null when its answer is not classified. */
    AnswerGuard guard(GatewayCall call, OutputStream out) {
        if (!watched(call)) {
            return null;
        }
        return new AnswerGuard(
                out, inspection.classifier().orElseThrow().monitor(), answer -> verdict(call, answer), metrics);
    }

    /**
     * Classifies a whole answer before it is released.
     *
     * @throws Rejection 403 when the answer brings in a capability the caller may not have (recorded)
     */
    void checkWhole(GatewayCall call, int status, byte[] body) {
        if (!watched(call) || status / 100 != 2) {
            return;
        }
        String text = AnswerText.ofBody(body);
        if (text.isEmpty()) {
            return;
        }
        ContentClassifier.AnswerMonitor monitor =
                inspection.classifier().orElseThrow().monitor();
        long start = System.nanoTime();
        try {
            int i = 0;
            while (i < text.length()) {
                int end = Math.min(text.length(), i + PIECE);
                if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                    end++; // never split a character
                }
                judge(call, monitor.feed(text.substring(i, end)));
                i = end;
            }
            judge(call, monitor.finish());
        } finally {
            metrics.classification(ContentClassification.Read.ANSWER, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void judge(GatewayCall call, Optional<ContentClassification> check) {
        if (check.isPresent()) {
            Optional<Decision> denial = verdict(call, check.get());
            if (denial.isPresent()) {
                throw Stages.denial(denial.get());
            }
        }
    }

    private boolean watched(GatewayCall call) {
        return inspection.cutAnswers()
                && call.content() != null
                && call.content().open()
                && ANSWERING.contains(call.endpoint());
    }

    /**
     * The call decided again, now, with the capabilities the answer brought in: a recorded denial, or
     * empty while the caller may still receive it (or the answer brought nothing new).
     */
    private Optional<Decision> verdict(GatewayCall call, ContentClassification check) {
        // An answer the classifier could not read whole counts as asking for every capability, as a request does.
        ContentClassification answer = ClassifyContent.failClosed(
                check, NOTHING, inspection.classifier().orElseThrow());
        Request asked = call.request();
        List<String> capabilities = ClassifyContent.union(asked.capabilities(), answer);
        if (capabilities.size() == asked.capabilities().size()) {
            return Optional.empty();
        }
        Request now = asked.withCapabilities(capabilities).withId(ids.next()).withTime(clock.instant());
        return enforcement
                .withhold(policy.current(), call.caller(), now, answer)
                .map(ruling -> {
                    Decision d = ruling.decision();
                    LOG.info(
                            "stopping the answer to call {} of principal {} on {}: it brought in {} (decision {}, directives {})",
                            asked.id(),
                            asked.principal(),
                            asked.model(),
                            answer.capabilities(),
                            d.id(),
                            d.directives());
                    return d;
                });
    }
}
