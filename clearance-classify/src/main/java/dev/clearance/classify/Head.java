package dev.clearance.classify;

/**
 * The trained logistic-regression head of one capability: a weight per embedding dimension and
 * per lexical bucket, an intercept, and the threshold at which a score counts as found.
 */
record Head(String capability, double intercept, float[] embedding, float[] lexical, double threshold) {
    /** Embeddings are unit vectors with small components; scaled so both feature groups weigh alike. */
    static final float EMBEDDING_SCALE = 4f;

    /** The probability that a chunk with these features asks for this capability. */
    double score(float[] e, int[] buckets) {
        double z = intercept;
        for (int d = 0; d < e.length; d++) {
            z += (double) embedding[d] * e[d] * EMBEDDING_SCALE;
        }
        float value = Lexical.value(buckets);
        for (int b : buckets) {
            z += (double) lexical[b] * value;
        }
        return 1 / (1 + Math.exp(-z));
    }

    Head withThreshold(double t) {
        return new Head(capability, intercept, embedding, lexical, t);
    }
}
