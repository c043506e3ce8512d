package dev.clearance.classify;

import dev.clearance.core.PolicyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.common.liblinear.LibLinearModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains one logistic-regression head per capability (Tribuo's liblinear L2-regularised logistic
 * regression) on the exemplars' chunks: a capability's positives against everything else (its hard
 * negatives, the negatives that hold for every capability, the other capabilities' exemplars). The
 * regularisation strength and the threshold are chosen by 5-fold cross-validation grouped by
 * exemplar: the threshold is the lowest at which at most {@link #TARGET_FPR} of the out-of-fold
 * negative exemplars score at or above it. Deterministic: fixed folds, a fixed solver seed and
 * single-threaded embeddings give the same artefact bytes for the same inputs.
 *
 * <p>{@code main(dir, out)} runs at build time: it trains from the capability files in {@code dir}
 * and writes the artefact to {@code out}, unless {@code out} was already trained from the same inputs.
 */
public final class Trainer {
    /** Out-of-fold false-positive rate the thresholds are set to, on the training negatives. */
    static final double TARGET_FPR = 0.02;

    static final double[] COSTS = {0.5, 2, 8};
    private static final int FOLDS = 5;
    private static final String YES = "yes";
    private static final String NO = "no";
    private static final String[] EMBEDDING_NAMES = names("e", Encoder.DIMENSION);
    private static final String[] LEXICAL_NAMES = names("h", Lexical.DIMENSION);

    private Trainer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Trainer CAPABILITY_DIR ARTEFACT");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        long start = System.nanoTime();
        Taxonomy taxonomy;
        try {
            taxonomy = CapabilityParser.load(Path.of(args[0]));
        } catch (PolicyException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        String inputs = inputsHash(taxonomy);
        if (Files.exists(out) && inputs.equals(inputsOf(out))) {
            System.out.println("classifier artefact up to date (" + inputs + ")");
            return;
        }
        try (Encoder encoder = Encoder.open(1)) {
            List<Sample> samples = samples(taxonomy, encoder, 0);
            System.out.printf(
                    "embedded %d chunks of %d exemplars in %.1f s%n",
                    samples.size(),
                    samples.stream().mapToInt(Sample::group).distinct().count(),
                    (System.nanoTime() - start) / 1e9);
            Artefact artefact = train(
                    inputs,
                    taxonomy.capabilities().stream()
                            .map(c -> c.id() + "@" + c.version())
                            .toList(),
                    samples,
                    System.out::println);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.write(out, artefact.bytes());
        }
        System.out.printf("classifier artefact trained in %.1f s: %s%n", (System.nanoTime() - start) / 1e9, out);
    }

    private static String inputsOf(Path artefact) {
        try (InputStream in = Files.newInputStream(artefact)) {
            return Artefact.read(in).inputs();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * A content hash of what a training depends on: the taxonomy (capabilities, exemplars and
     * negatives, in order; not the file layout), the embedding model, the windows, the features and
     * the cross-validation settings.
     */
    static String inputsHash(Taxonomy taxonomy) {
        StringBuilder sb = new StringBuilder();
        sb.append("format=")
                .append(Artefact.FORMAT)
                .append(";model=")
                .append(Encoder.MODEL)
                .append(";window=")
                .append(Encoder.WINDOW_TOKENS)
                .append('/')
                .append(Encoder.STRIDE)
                .append(";lexical=")
                .append(Lexical.DIMENSION)
                .append(";scale=")
                .append(Head.EMBEDDING_SCALE)
                .append(";fpr=")
                .append(TARGET_FPR)
                .append(";costs=")
                .append(Arrays.toString(COSTS))
                .append('\n');
        for (Capability c : taxonomy.capabilities()) {
            sb.append("capability ")
                    .append(c.id())
                    .append('@')
                    .append(c.version())
                    .append('\n');
            c.subcapabilities().forEach(s -> sb.append("sub ").append(s.id()).append('\n'));
            c.positives().forEach(e -> canonical(sb.append("+ "), e));
            c.hardNegatives().forEach(e -> canonical(sb.append("- "), e));
        }
        taxonomy.negatives().forEach(e -> canonical(sb.append("* "), e));
        return "sha256:" + sha256(sb.toString());
    }

    private static void canonical(StringBuilder sb, Exemplar e) {
        sb.append(e.label()).append('\n');
        for (Input.Part p : e.input().parts()) {
            Input.Part.Text t = (Input.Part.Text) p;
            sb.append(t.role().label())
                    .append(' ')
                    .append(t.text().length())
                    .append(':')
                    .append(t.text());
        }
        sb.append('\n');
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The training chunks of every exemplar, numbered from {@code firstGroup}. A positive
     * conversation contributes its request and the request read with the turn before it (the other
     * turns may be innocent); every chunk of a negative is negative.
     */
    static List<Sample> samples(Taxonomy taxonomy, Encoder encoder, int firstGroup) {
        List<Sample> out = new ArrayList<>();
        int group = firstGroup;
        for (Capability c : taxonomy.capabilities()) {
            for (Exemplar e : c.positives()) {
                add(out, group++, c.id(), true, e, encoder);
            }
            for (Exemplar e : c.hardNegatives()) {
                add(out, group++, c.id(), false, e, encoder);
            }
        }
        for (Exemplar e : taxonomy.negatives()) {
            add(out, group++, "", false, e, encoder);
        }
        return out;
    }

    private static void add(List<Sample> out, int group, String origin, boolean positive, Exemplar e, Encoder enc) {
        Input input = e.input();
        int request = input.request();
        List<Chunking.Chunk> chunks = Chunking.of(input, enc, Classifier.MAX_CHUNKS).chunks().stream()
                .filter(c -> !positive || input.parts().size() == 1 || c.part() == request)
                .toList();
        float[][] embeddings = Chunking.embed(chunks, enc);
        for (int i = 0; i < chunks.size(); i++) {
            out.add(new Sample(
                    group,
                    origin,
                    positive,
                    embeddings[i],
                    Lexical.buckets(chunks.get(i).text())));
        }
    }

    /** Trains every capability's head on {@code samples}. */
    static Artefact train(String inputs, Taxonomy taxonomy, List<Sample> samples) {
        return train(
                inputs,
                taxonomy.capabilities().stream()
                        .map(c -> c.id() + "@" + c.version())
                        .toList(),
                samples,
                s -> {});
    }

    /**
     * Trains a head for each of {@code capabilities} ({@code id@version}, in order) on {@code
     * samples}; {@code log} hears the cross-validation of each (the build prints it, a server not).
     */
    static Artefact train(
            String inputs, List<String> capabilities, List<Sample> samples, java.util.function.Consumer<String> log) {
        List<Head> heads = new ArrayList<>();
        for (String c : capabilities) {
            Fitted f = head(c.substring(0, c.indexOf('@')), samples);
            heads.add(f.head());
            log.accept(String.format(
                    java.util.Locale.ROOT,
                    "%s: cost %.1f, threshold %.3f, cross-validated recall %.3f at false-positive rate <= %.3f",
                    c,
                    f.cost(),
                    f.head().threshold(),
                    f.recall(),
                    TARGET_FPR));
        }
        return new Artefact(inputs, capabilities, heads, samples);
    }

    /** A trained head, the cost chosen for it and its cross-validated recall at its threshold. */
    record Fitted(Head head, double cost, double recall) {}

    /** Cross-validates the cost, sets the threshold from the out-of-fold scores, and fits on all samples. */
    static Fitted head(String capability, List<Sample> samples) {
        int[] fold = folds(samples);
        double bestRecall = -1;
        double bestCost = COSTS[0];
        double bestThreshold = 0.5;
        for (double cost : COSTS) {
            double[] scores = new double[samples.size()];
            for (int f = 0; f < FOLDS; f++) {
                List<Sample> train = new ArrayList<>();
                for (int i = 0; i < samples.size(); i++) {
                    if (fold[i] != f) {
                        train.add(samples.get(i));
                    }
                }
                Head h = fit(capability, train, cost);
                for (int i = 0; i < samples.size(); i++) {
                    if (fold[i] == f) {
                        scores[i] = h.score(
                                samples.get(i).embedding(), samples.get(i).buckets());
                    }
                }
            }
            OutOfFold oof = OutOfFold.of(capability, samples, scores);
            double threshold = oof.threshold(TARGET_FPR);
            double recall = oof.recall(threshold);
            if (recall > bestRecall) {
                bestRecall = recall;
                bestCost = cost;
                bestThreshold = threshold;
            }
        }
        return new Fitted(fit(capability, samples, bestCost).withThreshold(bestThreshold), bestCost, bestRecall);
    }

    /** Exemplar-level scores (the maximum over an exemplar's chunks) from out-of-fold chunk scores. */
    record OutOfFold(double[] positives, double[] negatives) {
        static OutOfFold of(String capability, List<Sample> samples, double[] scores) {
            Map<Integer, Double> pos = new HashMap<>();
            Map<Integer, Double> neg = new HashMap<>();
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                Map<Integer, Double> m = s.positive() && s.origin().equals(capability) ? pos : neg;
                m.merge(s.group(), scores[i], Math::max);
            }
            return new OutOfFold(
                    pos.values().stream().mapToDouble(Double::doubleValue).toArray(),
                    neg.values().stream().mapToDouble(Double::doubleValue).toArray());
        }

        /** The lowest threshold at which at most {@code fpr} of the negatives score at or above it. */
        double threshold(double fpr) {
            if (negatives.length == 0) {
                return 0.5;
            }
            double[] sorted = negatives.clone();
            Arrays.sort(sorted);
            int allowed = (int) Math.floor(fpr * sorted.length);
            double t = Math.nextUp(sorted[sorted.length - 1 - allowed]);
            return Math.min(t, 0.999);
        }

        double recall(double threshold) {
            return positives.length == 0
                    ? 0
                    : Arrays.stream(positives).filter(s -> s >= threshold).count() / (double) positives.length;
        }
    }

    /** Assigns exemplars (not chunks) to folds, by a fixed shuffle. */
    private static int[] folds(List<Sample> samples) {
        List<Integer> groups =
                samples.stream().map(Sample::group).distinct().sorted().toList();
        List<Integer> shuffled = new ArrayList<>(groups);
        java.util.Collections.shuffle(shuffled, new Random(20261124L));
        Map<Integer, Integer> foldOf = new HashMap<>();
        for (int i = 0; i < shuffled.size(); i++) {
            foldOf.put(shuffled.get(i), i % FOLDS);
        }
        return samples.stream().mapToInt(s -> foldOf.get(s.group())).toArray();
    }

    /** Fits one head with Tribuo's liblinear logistic regression and reads its weights out. */
    static Head fit(String capability, List<Sample> samples, double cost) {
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(
                new SimpleDataSourceProvenance(
                        "capability exemplars", OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), labels),
                labels);
        for (Sample s : samples) {
            data.add(example(new Label(s.positive() && s.origin().equals(capability) ? YES : NO), s));
        }
        LibLinearClassificationTrainer trainer = new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), cost, 1000, 0.001, 1L);
        LibLinearModel<Label> model = trainer.train(data);
        de.bwaldvogel.liblinear.Model inner = model.getInnerModels().get(0);
        int yes = model.getOutputIDInfo().getID(new Label(YES));
        int[] order = inner.getLabels();
        int index = -1;
        for (int i = 0; i < order.length; i++) {
            if (order[i] == yes) {
                index = i;
            }
        }
        if (index < 0) {
            throw new IllegalStateException("capability '" + capability + "' has no positive exemplar to train on");
        }
        var features = model.getFeatureIDMap();
        float[] embedding = new float[Encoder.DIMENSION];
        for (int d = 0; d < embedding.length; d++) {
            int id = features.getID(EMBEDDING_NAMES[d]);
            embedding[d] = id < 0 ? 0f : (float) inner.getDecfunCoef(id + 1, index);
        }
        float[] lexical = new float[Lexical.DIMENSION];
        for (int b = 0; b < lexical.length; b++) {
            int id = features.getID(LEXICAL_NAMES[b]);
            lexical[b] = id < 0 ? 0f : (float) inner.getDecfunCoef(id + 1, index);
        }
        // Tribuo appends a constant feature after the last one; liblinear reports it as its bias.
        double intercept = inner.getDecfunBias(index) + inner.getDecfunCoef(features.size() + 1, index);
        return new Head(capability, intercept, embedding, lexical, 0.5);
    }

    static ArrayExample<Label> example(Label label, Sample s) {
        int n = s.embedding().length + s.buckets().length;
        String[] names = new String[n];
        double[] values = new double[n];
        for (int d = 0; d < s.embedding().length; d++) {
            names[d] = EMBEDDING_NAMES[d];
            values[d] = s.embedding()[d] * Head.EMBEDDING_SCALE;
        }
        float value = Lexical.value(s.buckets());
        for (int i = 0; i < s.buckets().length; i++) {
            names[s.embedding().length + i] = LEXICAL_NAMES[s.buckets()[i]];
            values[s.embedding().length + i] = value;
        }
        return new ArrayExample<>(label, names, values);
    }

    private static String[] names(String prefix, int n) {
        String[] out = new String[n];
        int width = Integer.toString(n - 1).length();
        for (int i = 0; i < n; i++) {
            out[i] = prefix + String.format("%0" + width + "d", i);
        }
        return out;
    }
}
