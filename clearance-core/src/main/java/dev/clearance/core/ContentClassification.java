package dev.clearance.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a content classifier found in a request or an answer: the capabilities it asks for, each with
 * its score and the part that triggered it, and anything that kept the classifier from answering
 * fully. The gateway adds the capabilities to {@link Request#capabilities()} before deciding, and
 * the decision log records this beside the decision, so an auditor can see why a request that named
 * no capability was decided as asking for one.
 *
 * @param classifier which classifier answered (for several, their ids joined with {@code " + "})
 * @param version    the classifier's version (a content hash of its taxonomy and training)
 * @param read       whether the request or the model's answer was read
 * @param findings   capabilities whose score reached their threshold, highest score first
 * @param assumed    capabilities counted as present without being found, because the classifier
 *                   could not answer fully (failed, timed out, or could not read the whole input):
 *                   fail closed; {@code errors} says why
 * @param skipped    parts that are not text (images, audio, files) and were not classified
 * @param scores     every capability's score in [0, 1] (what an operator tunes thresholds with; not recorded)
 * @param complete   false when some text was left unread (a very long input)
 * @param errors     why capabilities were assumed, or why the classifier did not answer fully
 */
public record ContentClassification(
        String classifier,
        String version,
        Read read,
        List<Finding> findings,
        List<String> assumed,
        List<Skipped> skipped,
        Map<String, Double> scores,
        boolean complete,
        List<String> errors) {

    /** What was read. */
    public enum Read {
        REQUEST,
        ANSWER;

        public String wireName() {
            return this == REQUEST ? "request" : "answer";
        }
    }

    public ContentClassification {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(read, "read");
        findings = List.copyOf(findings);
        assumed = List.copyOf(assumed);
        skipped = List.copyOf(skipped);
        scores = Map.copyOf(scores);
        errors = List.copyOf(errors);
    }

    /**
     * A capability found.
     *
     * @param capability the capability id, lower case
     * @param score      the score that reached {@code threshold}
     * @param threshold  the threshold in force
     * @param part       where in the request or answer, as a JSON path into the caller's body
     *                   ({@code messages[2].content}, {@code system[0].text}) or {@code answer}
     * @param role       who wrote that part: system, user, assistant or tool
     * @param start      character offset in the part's text where the triggering chunk starts
     * @param end        character offset where it ends (exclusive)
     */
    public record Finding(
            String capability, double score, double threshold, String part, String role, int start, int end) {
        public Finding {
            Objects.requireNonNull(capability, "capability");
            Objects.requireNonNull(part, "part");
            Objects.requireNonNull(role, "role");
        }
    }

    /** A part that was not classified because it is not text ({@code kind}: image_url, input_audio, ...). */
    public record Skipped(String part, String role, String kind) {
        public Skipped {
            Objects.requireNonNull(part, "part");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /** The capabilities found and assumed, each once, found first. */
    public List<String> capabilities() {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        findings.forEach(f -> all.add(f.capability()));
        all.addAll(assumed);
        return List.copyOf(all);
    }

    /**
     * This classification and {@code other} as one (two classifiers that read the same input): findings,
     * assumptions, skipped parts and errors of both, the higher score of each capability, complete only
     * when both are.
     */
    public ContentClassification and(ContentClassification other) {
        List<Finding> f = new ArrayList<>(findings);
        f.addAll(other.findings);
        f.sort((a, b) -> Double.compare(b.score(), a.score()));
        LinkedHashSet<String> a = new LinkedHashSet<>(assumed);
        a.addAll(other.assumed);
        LinkedHashSet<Skipped> s = new LinkedHashSet<>(skipped);
        s.addAll(other.skipped);
        Map<String, Double> sc = new java.util.TreeMap<>(scores);
        other.scores.forEach((k, v) -> sc.merge(k, v, Math::max));
        List<String> e = new ArrayList<>(errors);
        e.addAll(other.errors);
        return new ContentClassification(
                classifier + " + " + other.classifier,
                version + " + " + other.version,
                read,
                f,
                List.copyOf(a),
                List.copyOf(s),
                sc,
                complete && other.complete,
                e);
    }
}
