package dev.clearance.gateway;

import dev.clearance.core.ContentClassification;
import java.util.List;
import java.util.Optional;

/**
 * What the gateway asks of a content classifier: which capabilities a model call really asks for,
 * and whether a model's answer drifts into one while it streams. The gateway knows only this
 * interface; {@code clearance serve} plugs in the embedded classifier ({@code clearance-classify}),
 * an external {@link HttpClassifier}, or both — as it plugs in the {@link DecisionRecorder}.
 *
 * <p>Implementations are thread-safe and never throw for odd input: a classifier that cannot answer
 * fully says so in the classification ({@link ContentClassification#assumed()}, {@link
 * ContentClassification#errors()}), failing closed. They may block; the gateway calls them on the
 * call's own (virtual) thread.
 */
public interface ContentClassifier {
    /** Classifies the parts of a request ({@link ContentClassification.Read#REQUEST}). */
    ContentClassification classify(Conversation conversation);

    /** A monitor for one streamed answer; one per answer, fed by one thread at a time. */
    AnswerMonitor monitor();

    /** The capability ids (lower case) this classifier can find: those assumed when it cannot answer fully. */
    List<String> capabilities();

    /**
     * This classifier and {@code other} reading the same requests, {@code other} on a virtual thread of
     * its own meanwhile (an external one spends its time waiting): what either finds is found, either
     * one's failure fails closed as it says. Answers are watched by this classifier's monitor alone.
     */
    default ContentClassifier and(ContentClassifier other) {
        return new BothClassifiers(this, other);
    }

    /**
     * Classifies an answer while it streams: text is fed as it arrives, and a check runs at a sentence
     * boundary and at least every few hundred characters. A check covers everything fed before it.
     */
    interface AnswerMonitor {
        /** Feeds the next piece of the answer; a classification ({@link ContentClassification.Read#ANSWER}) when a check ran. */
        Optional<ContentClassification> feed(CharSequence text);

        /** Checks whatever was fed since the last check, if anything. */
        Optional<ContentClassification> finish();
    }
}
