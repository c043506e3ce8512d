package dev.clearance.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Trains the heads of every capability from the training chunks: for each, a capability's
 * positives against everything else (its hard negatives, the negatives that hold for every
 * capability, the other capabilities' exemplars).
 *
 * <ol>
 *   <li>The first stage (embedding and lexical features) and the lexical-only head: the cost is
 *       chosen by 5-fold cross-validation grouped by exemplar, as the one with the best
 *       out-of-fold recall at {@link #TARGET_FPR}.
 *   <li>The second stage is trained on the out-of-fold logits of the first stage and of the
 *       lexical head and on each chunk's neighbour features (its own exemplar left out), so it
 *       learns how far to trust each on chunks it has not seen (the lexical head's weight of its own
 *       raised cross-validated recall at 2 % false positives from 0.854 to 0.907 for offensive-cyber).
 *   <li>Thresholds: the lowest at which at most {@link #TARGET_FPR} of the out-of-fold negative
 *       exemplars score at or above it (the second stage's, cross-validated again; the lexical
 *       head's), and for the second stage also at most {@link #GENERAL_FPR} of the negatives that
 *       hold for every capability.
 * </ol>
 *
 * Deterministic: fixed folds and solver seeds; folds are fitted in parallel but each fit is
 * single-threaded and collected in order.
 */
final class Training {
    /** Out-of-fold false-positive rate the thresholds are set to, on the training negatives. */
    static final double TARGET_FPR = 0.02;

    /**
     * Out-of-fold false-positive rate a capability's threshold may reach on the negatives that hold
     * for every capability (everyday requests, over-refusal traps, other harms): the prompts most like
     * what users send. With two shipped capabilities, a share of about 2.5 % of such prompts flagged
     * by either is the budget; {@link #TARGET_FPR} alone let one capability spend most of it, because
     * the other capabilities' exemplars, easy negatives, dilute its pool.
     */
    static final double GENERAL_FPR = 0.0125;

    static final double[] COSTS = {2, 8, 32};
    static final double STAGE_COST = 1;
    static final int FOLDS = 5;

    private Training() {}

    /**
     * Trains a head for each of {@code capabilities} ({@code id@version}, in order), cross-validating
     * the costs {@link #COSTS}; {@code log} hears the cross-validation of each.
     */
    static Artefact train(String inputs, List<String> capabilities, List<Sample> samples, Consumer<String> log) {
        return train(inputs, capabilities, samples, id -> null, id -> null, log);
    }

    /**
     * Trains a head for each of {@code capabilities} ({@code id@version}, in order) but those that
     * {@code kept} returns a head for (by capability id), which are used as they are. {@code costs}
     * gives, per capability id, the costs to cross-validate for its first stage and its lexical
     * head ({@link #COSTS} when it returns null).
     */
    static Artefact train(
            String inputs,
            List<String> capabilities,
            List<Sample> samples,
            Function<String, Head> kept,
            Function<String, double[][]> costs,
            Consumer<String> log) {
        List<String> ids =
                capabilities.stream().map(c -> c.substring(0, c.indexOf('@'))).toList();
        Neighbours neighbours = new Neighbours(samples, ids);
        double[][][] near = IntStream.range(0, samples.size())
                .parallel()
                .mapToObj(i ->
                        neighbours.of(samples.get(i).embedding(), samples.get(i).group()))
                .toArray(double[][][]::new);
        int[] fold = folds(samples);
        List<Head> heads = new ArrayList<>();
        for (int c = 0; c < ids.size(); c++) {
            String id = ids.get(c);
            if (kept.apply(id) != null) {
                heads.add(kept.apply(id));
                continue;
            }
            double[][] tried = costs.apply(id);
            Head h = head(
                    id,
                    c,
                    samples,
                    fold,
                    near,
                    tried == null ? COSTS : tried[0],
                    tried == null ? COSTS : tried[1],
                    log);
            heads.add(h);
        }
        return new Artefact(inputs, capabilities, heads, samples);
    }

    private static Head head(
            String id,
            int c,
            List<Sample> samples,
            int[] fold,
            double[][][] near,
            double[] fullCosts,
            double[] lexicalCosts,
            Consumer<String> log) {
        Function<Sample, LogisticRegression.Row> full =
                s -> new LogisticRegression.Row(s.positiveFor(id), s.embedding(), s.lexical(), null);
        Function<Sample, LogisticRegression.Row> lexical =
                s -> new LogisticRegression.Row(s.positiveFor(id), null, s.lexical(), null);
        Chosen first = choose(id, samples, fold, full, fullCosts);
        Chosen lex = choose(id, samples, fold, lexical, lexicalCosts);

        List<LogisticRegression.Row> stageRows = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            stageRows.add(new LogisticRegression.Row(
                    samples.get(i).positiveFor(id),
                    null,
                    null,
                    Head.stageInputs(first.logits()[i], lex.logits()[i], near[i][c])));
        }
        double[] stageLogits = outOfFold(stageRows, fold, STAGE_COST);
        OutOfFold stageOof = OutOfFold.of(id, samples, stageLogits);
        double threshold = stageOof.threshold(TARGET_FPR);
        OutOfFold general = OutOfFold.general(id, samples, stageLogits);
        if (general.negatives().length > 0) {
            threshold = Math.max(threshold, general.threshold(GENERAL_FPR));
        }

        LogisticRegression.Fitted f = fit(samples, full, first.cost());
        LogisticRegression.Fitted l = fit(samples, lexical, lex.cost());
        LogisticRegression.Fitted s = LogisticRegression.fit(stageRows, STAGE_COST);
        double[] stage = new double[Head.STAGE_FEATURES + 1];
        stage[0] = s.intercept();
        System.arraycopy(s.dense(), 0, stage, 1, Head.STAGE_FEATURES);
        log.accept(String.format(
                Locale.ROOT,
                "%s: cross-validated recall at false-positive rate <= %.3f: first stage %.3f (cost %.1f),"
                        + " second stage %.3f (threshold %.3f), lexical only %.3f (cost %.1f, threshold %.3f);"
                        + " out-of-fold flagged at the threshold: %s",
                id,
                TARGET_FPR,
                first.recall(),
                first.cost(),
                stageOof.recall(threshold),
                threshold,
                lex.recall(),
                lex.cost(),
                lex.threshold(),
                flagged(id, samples, stageLogits, threshold)));
        return new Head(
                id,
                new Head.Weights(f.intercept(), f.embedding(), f.lexical()),
                stage,
                threshold,
                new Head.Weights(l.intercept(), new float[0], l.lexical()),
                lex.threshold(),
                first.cost(),
                lex.cost());
    }

    /**
     * The share of negative exemplars whose out-of-fold score reaches {@code threshold}, by where
     * they come from: the capability's hard negatives, the negatives that hold for every capability,
     * and the other capabilities' exemplars.
     */
    static String flagged(String id, List<Sample> samples, double[] logits, double threshold) {
        Map<String, Map<Integer, Boolean>> byOrigin = new java.util.TreeMap<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.positiveFor(id)) {
                continue;
            }
            String origin = s.origin().isEmpty() ? "general" : s.origin().equals(id) ? "hard" : "other capabilities";
            byOrigin.computeIfAbsent(origin, k -> new HashMap<>())
                    .merge(s.group(), Head.sigmoid(logits[i]) >= threshold, Boolean::logicalOr);
        }
        StringBuilder sb = new StringBuilder();
        byOrigin.forEach((origin, groups) -> {
            long hit = groups.values().stream().filter(b -> b).count();
            sb.append(sb.isEmpty() ? "" : ", ")
                    .append(String.format(
                            Locale.ROOT,
                            "%s %d/%d (%.1f %%)",
                            origin,
                            hit,
                            groups.size(),
                            100.0 * hit / groups.size()));
        });
        return sb.toString();
    }

    /** The cost with the best out-of-fold recall, its out-of-fold logits, threshold and recall. */
    record Chosen(double cost, double[] logits, double threshold, double recall) {}

    private static Chosen choose(
            String id, List<Sample> samples, int[] fold, Function<Sample, LogisticRegression.Row> row, double[] costs) {
        List<LogisticRegression.Row> rows = samples.stream().map(row).toList();
        Chosen best = null;
        for (double cost : costs) {
            double[] logits = outOfFold(rows, fold, cost);
            OutOfFold oof = OutOfFold.of(id, samples, logits);
            double t = oof.threshold(TARGET_FPR);
            double recall = oof.recall(t);
            if (best == null || recall > best.recall()) {
                best = new Chosen(cost, logits, t, recall);
            }
        }
        return best;
    }

    private static LogisticRegression.Fitted fit(
            List<Sample> samples, Function<Sample, LogisticRegression.Row> row, double cost) {
        return LogisticRegression.fit(samples.stream().map(row).toList(), cost);
    }

    /** Out-of-fold logits: each row scored by the model fitted on the other folds. */
    static double[] outOfFold(List<LogisticRegression.Row> rows, int[] fold, double cost) {
        List<LogisticRegression.Fitted> models = IntStream.range(0, FOLDS)
                .parallel()
                .mapToObj(f -> {
                    List<LogisticRegression.Row> train = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) {
                        if (fold[i] != f) {
                            train.add(rows.get(i));
                        }
                    }
                    return LogisticRegression.fit(train, cost);
                })
                .toList();
        double[] out = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            out[i] = logit(models.get(fold[i]), rows.get(i));
        }
        return out;
    }

    static double logit(LogisticRegression.Fitted m, LogisticRegression.Row r) {
        double z = new Head.Weights(m.intercept(), m.embedding(), m.lexical())
                .logit(r.embedding(), r.lexical() == null ? new Lexical(new int[0], 0) : r.lexical());
        if (r.dense() != null) {
            for (int i = 0; i < r.dense().length; i++) {
                z += m.dense()[i] * r.dense()[i];
            }
        }
        return z;
    }

    /** Exemplar-level scores (the maximum over an exemplar's chunks) from out-of-fold chunk logits. */
    record OutOfFold(double[] positives, double[] negatives) {
        static OutOfFold of(String capability, List<Sample> samples, double[] logits) {
            Map<Integer, Double> pos = new HashMap<>();
            Map<Integer, Double> neg = new HashMap<>();
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                (s.positiveFor(capability) ? pos : neg).merge(s.group(), Head.sigmoid(logits[i]), Math::max);
            }
            return new OutOfFold(
                    pos.values().stream().mapToDouble(Double::doubleValue).toArray(),
                    neg.values().stream().mapToDouble(Double::doubleValue).toArray());
        }

        /** The same, with only the negatives that hold for every capability (origin empty) as negatives. */
        static OutOfFold general(String capability, List<Sample> samples, double[] logits) {
            List<Sample> kept = new ArrayList<>();
            List<Double> keptLogits = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                if (s.positiveFor(capability) || s.origin().isEmpty()) {
                    kept.add(s);
                    keptLogits.add(logits[i]);
                }
            }
            return of(
                    capability,
                    kept,
                    keptLogits.stream().mapToDouble(Double::doubleValue).toArray());
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
    static int[] folds(List<Sample> samples) {
        List<Integer> groups =
                samples.stream().map(Sample::group).distinct().sorted().toList();
        List<Integer> shuffled = new ArrayList<>(groups);
        Collections.shuffle(shuffled, new Random(20261124L));
        Map<Integer, Integer> foldOf = new HashMap<>();
        for (int i = 0; i < shuffled.size(); i++) {
            foldOf.put(shuffled.get(i), i % FOLDS);
        }
        return samples.stream().mapToInt(s -> foldOf.get(s.group())).toArray();
    }
}
