package dev.clearance.screening;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Scores two normalised names in [0, 1].
 *
 * <p>Best pairs, as in Moov Watchman: every query token is compared with every listed token
 * (Jaro-Winkler, raised to 0.90 when the consonant {@link Skeleton}s agree, so transliterations
 * that disagree on vowels still pair), and the most similar disjoint pairs are taken greedily.
 * Unlike Watchman, tokens are weighted by how rare they are in the lists (and a little by length):
 * sharing a rare surname says more than sharing "Mohammed" or "Trading". The score is
 * {@code S * Q^a * C^b}: S the weighted mean similarity of the pairs, Q and C the weighted
 * shares of the query's and the listed name's tokens that found a partner. With two or more pairs the exponents are soft
 * (a dropped middle name or an extra given name still scores high); with one pair they are hard
 * (one shared word is not a match). Names split differently ({@code Abdul Rahman} /
 * {@code Abdulrahman}) are also compared joined.
 */
final class NameScorer {
    /** Below this, two tokens are different words and stay unpaired. */
    static final double PAIR_MIN = 0.80;

    private NameScorer() {}

    /** A normalised name prepared for scoring: tokens, their skeletons and weights. */
    record Form(String[] tokens, String[] skeletons, double[] weights, double totalWeight, String joined) {
        static Form of(List<String> tokens, ToDoubleFunction<String> weight) {
            int n = tokens.size();
            String[] t = tokens.toArray(String[]::new);
            String[] s = new String[n];
            double[] w = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                s[i] = Skeleton.of(t[i]);
                w[i] = weight.applyAsDouble(t[i]);
                total += w[i];
            }
            return new Form(t, s, w, total, String.join("", t));
        }
    }

    /** The score with the pairs that produced it. */
    record Explained(double score, List<MatchExplanation.TokenPair> pairs, List<String> unmatchedQuery,
            List<String> unmatchedListed) {}

    static double score(Form q, Form c) {
        return run(q, c, null);
    }

    static Explained explain(Form q, Form c) {
        int[] pairedWith = new int[q.tokens().length];
        double s = run(q, c, pairedWith);
        List<MatchExplanation.TokenPair> pairs = new ArrayList<>();
        List<String> unmatchedQuery = new ArrayList<>();
        boolean[] used = new boolean[c.tokens().length];
        for (int i = 0; i < pairedWith.length; i++) {
            int j = pairedWith[i];
            if (j >= 0) {
                used[j] = true;
                pairs.add(new MatchExplanation.TokenPair(q.tokens()[i], c.tokens()[j],
                        round(tokenSimilarity(q.tokens()[i], q.skeletons()[i], c.tokens()[j], c.skeletons()[j]))));
            } else {
                unmatchedQuery.add(q.tokens()[i]);
            }
        }
        List<String> unmatchedListed = new ArrayList<>();
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) unmatchedListed.add(c.tokens()[j]);
        }
        return new Explained(s, pairs, unmatchedQuery, unmatchedListed);
    }

    private static double run(Form q, Form c, int[] pairedWith) {
        int m = q.tokens().length;
        int n = c.tokens().length;
        double[] sim = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                sim[i * n + j] = tokenSimilarity(q.tokens()[i], q.skeletons()[i], c.tokens()[j], c.skeletons()[j]);
            }
        }
        if (pairedWith != null) java.util.Arrays.fill(pairedWith, -1);
        long usedQ = 0;
        long usedC = 0;
        double coveredQ = 0;
        double coveredC = 0;
        double weightedSim = 0;
        int pairs = 0;
        int limit = Math.min(Math.min(m, n), 63);
        for (int round = 0; round < limit; round++) {
            double best = PAIR_MIN;
            int bi = -1;
            int bj = -1;
            for (int i = 0; i < m && i < 63; i++) {
                if ((usedQ & (1L << i)) != 0) continue;
                for (int j = 0; j < n && j < 63; j++) {
                    if ((usedC & (1L << j)) != 0) continue;
                    double s = sim[i * n + j];
                    if (s > best || (s == best && bi < 0)) {
                        best = s;
                        bi = i;
                        bj = j;
                    }
                }
            }
            if (bi < 0) break;
            usedQ |= 1L << bi;
            usedC |= 1L << bj;
            coveredQ += q.weights()[bi];
            coveredC += c.weights()[bj];
            weightedSim += best * (q.weights()[bi] + c.weights()[bj]);
            pairs++;
            if (pairedWith != null) pairedWith[bi] = bj;
        }
        double score = 0.0;
        if (pairs > 0) {
            double similarity = weightedSim / (coveredQ + coveredC);
            double share = coveredQ / q.totalWeight();
            double listedShare = coveredC / c.totalWeight();
            score = similarity * (pairs >= 2
                    ? Math.pow(share, 0.6) * Math.pow(listedShare, 0.15)
                    : share * Math.pow(listedShare, 0.5));
        }
        if (m != n && score < 0.97) {
            // Split differently (Abdul Rahman / Abdulrahman): compare the names joined, allowing one typo.
            String a = q.joined();
            String b = c.joined();
            if (a.length() >= 6 && Math.abs(a.length() - b.length()) <= 1 && EditDistance.osa(a, b) <= 1) {
                score = Math.max(score, a.equals(b) ? 0.97 : 0.93);
            }
        }
        return score;
    }

    static double tokenSimilarity(String a, String sa, String b, String sb) {
        if (a.equals(b)) return 1.0;
        double jw = JaroWinkler.similarity(a, b);
        double sim = jw;
        if (jw >= 0.7) {
            // Jaro-Winkler alone rewards a shared prefix too much (Patricia/Patrick, Martin/Martinez);
            // averaging with the edit-distance similarity keeps typos high and different names apart.
            int d = EditDistance.osa(a, b);
            sim = (jw + 1.0 - (double) d / Math.max(a.length(), b.length())) / 2.0;
        }
        // Unvowelled transliterations (Arabic "mhmd" for Mohammed) pair on their consonant skeleton.
        if (sa.length() >= 2 && sa.equals(sb) && (vowels(a) == 0 || vowels(b) == 0)) sim = Math.max(sim, 0.90);
        // An initial stands for any name it begins.
        if ((a.length() == 1 && b.length() > 1 && b.charAt(0) == a.charAt(0))
                || (b.length() == 1 && a.length() > 1 && a.charAt(0) == b.charAt(0))) {
            sim = Math.max(sim, 0.85);
        }
        return sim;
    }

    private static int vowels(String t) {
        int n = 0;
        for (int i = 0; i < t.length(); i++) {
            switch (t.charAt(i)) {
                case 'a', 'e', 'i', 'o', 'u' -> n++;
                default -> { }
            }
        }
        return n;
    }

    private static double round(double d) {
        return Math.round(d * 1000.0) / 1000.0;
    }
}
