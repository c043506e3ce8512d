package dev.clearance.classify;

import dev.clearance.core.PolicyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Held-out evaluation of the content classifier beside its two reference points, in one run (a
 * measurement tool, not a unit test): the shipped classifier at its trained thresholds, a keyword
 * deny list, and nearest neighbour over {@code k} exemplars per capability with the same embedding
 * model; recall and false-positive rate per capability, a threshold sweep for the two scored
 * methods, and the share of each kind of prompt detected or flagged.
 *
 * <p>Usage (from the repository root, after {@code ./mvnw -q -pl clearance-bench -am package -DskipTests}):
 * {@code bench/classify.sh eval [--heldout FILE] [--taxonomy DIR] [--k 25]}.
 */
public final class ClassifierEvaluation {
    private static final double[] CLASSIFIER_SWEEP = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
    private static final double[] NEIGHBOUR_SWEEP = {0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80};

    private ClassifierEvaluation() {}

    public static void main(String[] args) throws IOException, PolicyException {
        Path heldout = Path.of("clearance-classify/src/test/resources/capabilities/heldout.jsonl");
        Path taxonomyDir = Path.of("clearance-classify/src/main/resources/capabilities");
        int k = 25;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--heldout" -> heldout = Path.of(args[i + 1]);
                case "--taxonomy" -> taxonomyDir = Path.of(args[i + 1]);
                case "--k" -> k = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        List<PromptFile> prompts = read(heldout);
        Taxonomy taxonomy = CapabilityParser.load(taxonomyDir);
        try (Classifier classifier = Classifier.shipped();
                Encoder encoder = Encoder.open(2)) {
            out.printf(
                    "held-out: %s, %d prompts; classifier %s version %s%n",
                    heldout, prompts.size(), classifier.id(), classifier.version());
            out.printf("trained thresholds: %s%n", classifier.thresholds());
            List<String> capabilities = List.copyOf(classifier.thresholds().keySet());
            long start = System.nanoTime();
            List<Map<String, Double>> model =
                    score(prompts, p -> classifier.classify(p).scores());
            double perPrompt = (System.nanoTime() - start) / 1e6 / prompts.size();
            KeywordBaseline keywords = new KeywordBaseline();
            List<Map<String, Double>> keyword = score(prompts, keywords::scores);
            NearestNeighbourBaseline knn = new NearestNeighbourBaseline(taxonomy, encoder, k);
            List<Map<String, Double>> neighbour = score(prompts, knn::scores);
            out.printf("classifier: %.1f ms per prompt on average (wall clock, this run)%n%n", perPrompt);

            out.println("== at the operating point ==");
            report(out, "classifier (trained thresholds)", prompts, model, classifier.thresholds(), capabilities);
            report(out, "keyword deny list", prompts, keyword, Map.of(), capabilities);
            double knnThreshold = pick(prompts, neighbour, capabilities, 0.04);
            report(
                    out,
                    String.format(Locale.ROOT, "nearest neighbour, %d exemplars (cosine >= %.2f)", k, knnThreshold),
                    prompts,
                    neighbour,
                    uniform(capabilities, knnThreshold),
                    capabilities);

            List<Integer> foreign = new ArrayList<>();
            for (int i = 0; i < prompts.size(); i++) {
                if (!english(prompts.get(i).input())) {
                    foreign.add(i);
                }
            }
            report(
                    out,
                    "classifier (trained thresholds), the " + foreign.size() + " prompts mostly not in Latin script",
                    foreign.stream().map(prompts::get).toList(),
                    foreign.stream().map(model::get).toList(),
                    classifier.thresholds(),
                    capabilities);

            out.println("== threshold sweep ==");
            sweep(out, "classifier", prompts, model, capabilities, CLASSIFIER_SWEEP);
            sweep(out, "nearest neighbour", prompts, neighbour, capabilities, NEIGHBOUR_SWEEP);
            subVote(out, capabilities);
        }
    }

    /**
     * How well the neighbour vote names sub-capabilities, measured leaving one exemplar out over
     * the training positives that carry a sub-capability (the held-out set labels top-level
     * capabilities only): the share for which the vote names one, and the share of those it names
     * rightly. Each exemplar is read once, by its first chunk (the request).
     */
    private static void subVote(PrintWriter out, List<String> capabilities) {
        List<Sample> samples = Classifier.shippedArtefact().samples();
        Neighbours neighbours = new Neighbours(samples, capabilities);
        out.println("== sub-capability vote, leaving each training exemplar out ==");
        out.printf("%-16s %10s %8s %8s%n", "capability", "exemplars", "named", "right");
        for (int c = 0; c < capabilities.size(); c++) {
            String capability = capabilities.get(c);
            Set<Integer> seen = new java.util.HashSet<>();
            int exemplars = 0;
            int named = 0;
            int right = 0;
            for (Sample s : samples) {
                if (!s.positiveFor(capability) || s.sub().isEmpty() || !seen.add(s.group())) {
                    continue;
                }
                exemplars++;
                String vote = neighbours.sub(s.embedding(), c, s.group());
                named += vote.isEmpty() ? 0 : 1;
                right += vote.equals(s.sub()) ? 1 : 0;
            }
            out.printf(
                    "%-16s %10d %8s %8s%n",
                    capability,
                    exemplars,
                    Evaluation.percent(exemplars == 0 ? 0 : (double) named / exemplars),
                    Evaluation.percent(named == 0 ? 0 : (double) right / named));
        }
    }

    /** Whether most letters of the input are Latin: the model and the exemplars are English. */
    private static boolean english(Input input) {
        long latin = 0;
        long letters = 0;
        for (Input.Part p : input.parts()) {
            if (p instanceof Input.Part.Text t) {
                for (int cp : t.text().codePoints().toArray()) {
                    if (Character.isLetter(cp)) {
                        letters++;
                        latin += Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN ? 1 : 0;
                    }
                }
            }
        }
        return letters == 0 || latin * 2 > letters;
    }

    private static List<PromptFile> read(Path file) throws IOException, PolicyException {
        List<PromptFile> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add(PromptFile.line(lines.get(i), file.toString(), i + 1, true));
            }
        }
        return out;
    }

    private static List<Map<String, Double>> score(List<PromptFile> prompts, Function<Input, Map<String, Double>> f) {
        return prompts.parallelStream().map(p -> f.apply(p.input())).toList();
    }

    private static Map<String, Double> uniform(List<String> capabilities, double t) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        capabilities.forEach(c -> m.put(c, t));
        return m;
    }

    /** Found: score at or above the capability's threshold (1 for a deny list, whose scores are 0 or 1). */
    private static Set<String> found(Map<String, Double> scores, Map<String, Double> thresholds) {
        Set<String> out = new java.util.TreeSet<>();
        scores.forEach((c, s) -> {
            if (s >= thresholds.getOrDefault(c, 1.0)) {
                out.add(c);
            }
        });
        return out;
    }

    private static void report(
            PrintWriter out,
            String name,
            List<PromptFile> prompts,
            List<Map<String, Double>> scores,
            Map<String, Double> thresholds,
            List<String> capabilities) {
        List<Evaluation.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            outcomes.add(new Evaluation.Outcome(
                    prompts.get(i).expect(),
                    found(scores.get(i), thresholds),
                    prompts.get(i).kind()));
        }
        out.println("-- " + name);
        Evaluation.of(outcomes, capabilities).print(out);
        out.println();
    }

    /**
     * The baseline's most favourable single threshold: the lowest at which at most {@code fpr} of
     * the prompts expecting no capability are flagged. Chosen on the held-out set itself, which
     * flatters the baseline; the classifier's thresholds come from training data only.
     */
    private static double pick(
            List<PromptFile> prompts, List<Map<String, Double>> scores, List<String> capabilities, double fpr) {
        for (double t : NEIGHBOUR_SWEEP) {
            int harmless = 0;
            int flagged = 0;
            for (int i = 0; i < prompts.size(); i++) {
                if (prompts.get(i).expect().isEmpty()) {
                    harmless++;
                    flagged += found(scores.get(i), uniform(capabilities, t)).isEmpty() ? 0 : 1;
                }
            }
            if (flagged <= fpr * harmless) {
                return t;
            }
        }
        return NEIGHBOUR_SWEEP[NEIGHBOUR_SWEEP.length - 1];
    }

    private static void sweep(
            PrintWriter out,
            String name,
            List<PromptFile> prompts,
            List<Map<String, Double>> scores,
            List<String> capabilities,
            double[] thresholds) {
        List<Set<String>> expected = prompts.stream().map(PromptFile::expect).toList();
        for (String c : capabilities) {
            List<Double> s = scores.stream().map(m -> m.getOrDefault(c, 0.0)).toList();
            List<Evaluation.Tally> tallies = Evaluation.sweep(expected, s, c, thresholds);
            out.printf("-- %s, %s%n%10s %8s %8s%n", name, c, "threshold", "recall", "FPR");
            for (int i = 0; i < thresholds.length; i++) {
                out.printf(
                        Locale.ROOT,
                        "%10.2f %8s %8s%n",
                        thresholds[i],
                        Evaluation.percent(tallies.get(i).recall()),
                        Evaluation.percent(tallies.get(i).falsePositiveRate()));
            }
        }
        out.println();
    }
}
