package dev.clearance.gateway;

import java.util.Optional;

/**
 * Whether and how the gateway reads the content of model calls ({@code classification:} in the
 * configuration): the classifier, and whether an answer that drifts into a restricted capability is
 * cut ({@code output: cut}) or left alone ({@code output: off}). Content is read only for callers a
 * capability directive could still restrict ({@link dev.clearance.core.DecisionPoint#capabilityOpen}).
 *
 * @param classifier the classifier; empty: capabilities come only from the {@code clearance-capabilities} header
 * @param cutAnswers whether answers are classified and cut (streams) or refused (whole answers)
 */
public record ContentInspection(Optional<ContentClassifier> classifier, boolean cutAnswers) {
    /** No content classification: requests name their capabilities in the header, if at all. */
    public static final ContentInspection OFF = new ContentInspection(Optional.empty(), false);

    public ContentInspection {
        classifier = classifier == null ? Optional.empty() : classifier;
        cutAnswers = cutAnswers && classifier.isPresent();
    }

    /** Requests classified, and answers too when {@code cutAnswers}. */
    public static ContentInspection with(ContentClassifier classifier, boolean cutAnswers) {
        return new ContentInspection(Optional.of(classifier), cutAnswers);
    }
}
