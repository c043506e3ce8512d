package dev.clearance.classify;

/**
 * The trained heads of one capability. An embedded chunk is scored in two stages: a logistic
 * regression over its embedding and lexical features ({@code full}), then a second logistic
 * regression ({@code stage}) over that score, the score of a logistic regression over the lexical
 * features alone ({@code lexical}) and the chunk's {@link Neighbours} (how close it is to the
 * capability's positive and negative training chunks); the capability is found when the second
 * stage reaches {@code threshold}. A chunk that the embedding budget leaves unembedded is scored
 * by the lexical regression alone, whose own
 * threshold is {@code lexicalThreshold}. {@code cost} and {@code lexicalCost} are the
 * regularisation strengths cross-validation chose, kept for retraining with an operator's exemplars.
 */
record Head(
        String capability,
        Weights full,
        double[] stage,
        double threshold,
        Weights lexical,
        double lexicalThreshold,
        double cost,
        double lexicalCost) {
    /** Embeddings are unit vectors with small components; scaled so both feature groups weigh alike. */
    static final float EMBEDDING_SCALE = 4f;
    /** Inputs of the second stage: the first stage's logit, the neighbour features and the contrast of the means. */
    static final int STAGE_FEATURES = 3 + Neighbours.FEATURES;

    /** A linear model over an embedding (no weights: lexical only) and lexical buckets. */
    record Weights(double intercept, float[] embedding, float[] lexical) {
        double logit(float[] e, Lexical l) {
            double z = intercept;
            if (embedding.length > 0) {
                for (int d = 0; d < e.length; d++) {
                    z += (double) embedding[d] * e[d] * EMBEDDING_SCALE;
                }
            }
            int[] buckets = l.buckets();
            for (int k = 0; k < buckets.length; k++) {
                z += (double) lexical[buckets[k]] * l.value(k);
            }
            return z;
        }
    }

    /** The second stage's inputs for a first-stage logit and the chunk's neighbour features for this capability. */
    static double[] stageInputs(double logit, double lexicalLogit, double[] neighbours) {
        return new double[] {
            logit,
            lexicalLogit,
            neighbours[0],
            neighbours[1],
            neighbours[2],
            neighbours[3],
            neighbours[4],
            neighbours[1] - neighbours[3]
        };
    }

    /** The probability that an embedded chunk asks for this capability. */
    double score(float[] e, Lexical l, double[] neighbours) {
        double[] x = stageInputs(full.logit(e, l), lexical.logit(null, l), neighbours);
        double z = stage[0];
        for (int i = 0; i < x.length; i++) {
            z += stage[i + 1] * x[i];
        }
        return sigmoid(z);
    }

    /**
     * The lexical head's score of an unembedded chunk, moved onto the two-stage scale: it reaches
     * {@link #threshold()} exactly when the lexical head reaches {@link #lexicalThreshold()}, so one
     * threshold (and one override of it) decides for both.
     */
    double lexicalScore(Lexical l) {
        return sigmoid(lexicalMargin(l) + logit(threshold));
    }

    /** How far above (positive) or below its threshold the lexical head puts a chunk, in logits. */
    double lexicalMargin(Lexical l) {
        return lexical.logit(null, l) - logit(lexicalThreshold);
    }

    Head withThreshold(double t) {
        return new Head(capability, full, stage, t, lexical, lexicalThreshold, cost, lexicalCost);
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    static double logit(double p) {
        double q = Math.min(1 - 1e-9, Math.max(1e-9, p));
        return Math.log(q / (1 - q));
    }
}
