package dev.clearance.classify;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.common.liblinear.LibLinearModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * L2-regularised logistic regression as Tribuo's liblinear trainer fits it ({@code L2R_LR}, a fixed
 * seed: deterministic), on rows with any of three feature groups: an embedding, lexical buckets
 * and a few dense features. The weights are read out of Tribuo's model so that the artefact needs
 * neither Tribuo nor its model format at run time.
 */
final class LogisticRegression {
    private static final String YES = "yes";
    private static final String NO = "no";
    private static final String[] EMBEDDING_NAMES = names("e", Encoder.DIMENSION);
    private static final String[] LEXICAL_NAMES = names("h", Lexical.DIMENSION);
    private static final String[] DENSE_NAMES = names("s", 10);

    private LogisticRegression() {}

    /** One training row; a group that is null is absent. */
    record Row(boolean positive, float[] embedding, Lexical lexical, double[] dense) {}

    /** The fitted weights: intercept, then one weight per embedding dimension, lexical bucket and dense feature. */
    record Fitted(double intercept, float[] embedding, float[] lexical, double[] dense) {}

    static Fitted fit(List<Row> rows, double cost) {
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(
                new SimpleDataSourceProvenance(
                        "capability exemplars", OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), labels),
                labels);
        boolean anyPositive = false;
        for (Row r : rows) {
            data.add(example(r));
            anyPositive |= r.positive();
        }
        if (!anyPositive) {
            throw new IllegalStateException("no positive exemplar to train on");
        }
        LibLinearClassificationTrainer trainer = new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), cost, 1000, 0.001, 1L);
        LibLinearModel<Label> model = trainer.train(data);
        de.bwaldvogel.liblinear.Model inner = model.getInnerModels().get(0);
        int yes = model.getOutputIDInfo().getID(new Label(YES));
        int[] order = inner.getLabels();
        int index = order[0] == yes ? 0 : 1;
        if (order.length == 1 && order[0] != yes) {
            throw new IllegalStateException("no positive exemplar to train on");
        }
        Row first = rows.get(0);
        float[] embedding = new float[first.embedding() == null ? 0 : Encoder.DIMENSION];
        float[] lexical = new float[first.lexical() == null ? 0 : Lexical.DIMENSION];
        double[] dense = new double[first.dense() == null ? 0 : first.dense().length];
        var features = model.getFeatureIDMap();
        for (var info : features) {
            String name = info.getName();
            int i = Integer.parseInt(name, 1, name.length(), 10);
            double w = inner.getDecfunCoef(features.getID(name) + 1, index);
            switch (name.charAt(0)) {
                case 'e' -> embedding[i] = (float) w;
                case 'h' -> lexical[i] = (float) w;
                default -> dense[i] = w;
            }
        }
        // Tribuo appends a constant feature after the last one; liblinear reports it as its bias.
        double intercept = inner.getDecfunBias(index) + inner.getDecfunCoef(features.size() + 1, index);
        return new Fitted(intercept, embedding, lexical, dense);
    }

    /** The row as a Tribuo example, features in name order (embedding, lexical, dense). */
    static ArrayExample<Label> example(Row r) {
        int n = (r.embedding() == null ? 0 : r.embedding().length)
                + (r.lexical() == null ? 0 : r.lexical().buckets().length)
                + (r.dense() == null ? 0 : r.dense().length);
        String[] names = new String[n];
        double[] values = new double[n];
        int k = 0;
        if (r.embedding() != null) {
            for (int d = 0; d < r.embedding().length; d++, k++) {
                names[k] = EMBEDDING_NAMES[d];
                values[k] = r.embedding()[d] * Head.EMBEDDING_SCALE;
            }
        }
        if (r.lexical() != null) {
            int[] buckets = r.lexical().buckets();
            for (int b = 0; b < buckets.length; b++, k++) {
                names[k] = LEXICAL_NAMES[buckets[b]];
                values[k] = r.lexical().value(b);
            }
        }
        if (r.dense() != null) {
            for (int d = 0; d < r.dense().length; d++, k++) {
                names[k] = DENSE_NAMES[d];
                values[k] = r.dense()[d];
            }
        }
        return new ArrayExample<>(new Label(r.positive() ? YES : NO), names, values);
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
