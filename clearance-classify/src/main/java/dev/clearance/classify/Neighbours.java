package dev.clearance.classify;

import java.util.List;

/**
 * How close a chunk's embedding is to the training chunks of each capability: the cosine to the
 * nearest positive and the mean over the {@link #K} nearest, the same for the negatives, and the
 * similarity-weighted share of positives among the {@link #VOTERS} nearest chunks of any label. The
 * second-stage model of each head weighs these beside the linear score, which lets a request that
 * sits among the negatives in embedding space (a defensive question worded like an attack) score
 * lower than a linear model alone would say, and the reverse.
 */
final class Neighbours {
    static final int K = 5;
    /**
     * Features per capability: nearest positive, mean of K positives, nearest negative, mean of K
     * negatives, and the vote of the nearest chunks.
     */
    static final int FEATURES = 5;

    /** Nearest training chunks, of any label, whose similarity-weighted vote is the fifth feature. */
    static final int VOTERS = 10;

    /** Of the K nearest positives, at least this many must share a sub-capability for it to be named. */
    static final int SUB_VOTES = 3;

    private final float[] vectors;
    private final int[] groups;
    private final String[] subs;
    /** positive[c][i]: sample i is a positive of capability c. */
    private final boolean[][] positive;

    Neighbours(List<Sample> samples, List<String> capabilities) {
        int n = samples.size();
        vectors = new float[n * Encoder.DIMENSION];
        groups = new int[n];
        subs = new String[n];
        positive = new boolean[capabilities.size()][n];
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            System.arraycopy(s.embedding(), 0, vectors, i * Encoder.DIMENSION, Encoder.DIMENSION);
            groups[i] = s.group();
            subs[i] = s.sub();
            for (int c = 0; c < capabilities.size(); c++) {
                positive[c][i] = s.positiveFor(capabilities.get(c));
            }
        }
    }

    /**
     * The features of embedding {@code e} for every capability ({@code [capability][feature]}),
     * ignoring the samples of exemplar {@code exclude} (-1: none), so that a training chunk is not its
     * own neighbour.
     */
    double[][] of(float[] e, int exclude) {
        int caps = positive.length;
        double[] topAll = new double[VOTERS];
        int[] atAll = new int[VOTERS];
        java.util.Arrays.fill(topAll, -2);
        java.util.Arrays.fill(atAll, -1);
        double[][] topPos = new double[caps][K];
        double[][] topNeg = new double[caps][K];
        for (int c = 0; c < caps; c++) {
            java.util.Arrays.fill(topPos[c], -1);
            java.util.Arrays.fill(topNeg[c], -1);
        }
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] == exclude) {
                continue;
            }
            float dot = dot(e, i);
            for (int c = 0; c < caps; c++) {
                insert(positive[c][i] ? topPos[c] : topNeg[c], dot);
            }
            insert(topAll, atAll, dot, i);
        }
        double[][] out = new double[caps][];
        for (int c = 0; c < caps; c++) {
            double votes = 0;
            double weight = 0;
            for (int j = 0; j < VOTERS && atAll[j] >= 0; j++) {
                double w = Math.max(0, topAll[j]);
                weight += w;
                votes += positive[c][atAll[j]] ? w : 0;
            }
            out[c] = new double[] {
                topPos[c][0], mean(topPos[c]), topNeg[c][0], mean(topNeg[c]), weight == 0 ? 0 : votes / weight
            };
        }
        return out;
    }

    /**
     * The sub-capability of capability {@code c} that at least {@link #SUB_VOTES} of the {@link #K}
     * positives nearest to {@code e} belong to, or empty when they do not agree so far; the samples of
     * exemplar {@code exclude} (-1: none) are ignored, so that the vote can be measured leaving each
     * training exemplar out.
     */
    String sub(float[] e, int c, int exclude) {
        double[] top = new double[K];
        int[] at = new int[K];
        java.util.Arrays.fill(top, -2);
        java.util.Arrays.fill(at, -1);
        for (int i = 0; i < groups.length; i++) {
            if (!positive[c][i] || groups[i] == exclude) {
                continue;
            }
            insert(top, at, dot(e, i), i);
        }
        java.util.Map<String, Integer> votes = new java.util.TreeMap<>();
        for (int i : at) {
            if (i >= 0 && !subs[i].isEmpty()) {
                votes.merge(subs[i], 1, Integer::sum);
            }
        }
        return votes.entrySet().stream()
                .filter(v -> v.getValue() >= SUB_VOTES)
                .map(java.util.Map.Entry::getKey)
                .findFirst()
                .orElse("");
    }

    private float dot(float[] e, int i) {
        int base = i * Encoder.DIMENSION;
        float dot = 0;
        for (int d = 0; d < Encoder.DIMENSION; d++) {
            dot += e[d] * vectors[base + d];
        }
        return dot;
    }

    private static void insert(double[] top, double value) {
        if (value <= top[K - 1]) {
            return;
        }
        int j = K - 1;
        while (j > 0 && top[j - 1] < value) {
            top[j] = top[j - 1];
            j--;
        }
        top[j] = value;
    }

    private static void insert(double[] top, int[] at, double value, int index) {
        int last = top.length - 1;
        if (value <= top[last]) {
            return;
        }
        int j = last;
        while (j > 0 && top[j - 1] < value) {
            top[j] = top[j - 1];
            at[j] = at[j - 1];
            j--;
        }
        top[j] = value;
        at[j] = index;
    }

    private static double mean(double[] top) {
        double sum = 0;
        for (double v : top) {
            sum += v;
        }
        return sum / top.length;
    }
}
