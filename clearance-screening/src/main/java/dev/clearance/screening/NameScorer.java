package dev.clearance.screening;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

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
    /** Exponents on the query's and the listed name's paired shares when two or more words pair. */
    static final double ALPHA = 0.5;

    static final double BETA = 0.1;

    private NameScorer() {}

    /** A normalised name prepared for scoring: tokens, their skeletons and weights. */
    record Form(
            String[] tokens,
            String[] skeletons,
            double[] weights,
            double totalWeight,
            String joined,
            int[] ids,
            boolean[] unvowelled,
            long[] letters,
            String[] spelled) {
        /** A form whose tokens have vocabulary ids (listed names), or -1 (queries). */
        static Form of(
                List<String> tokens, List<String> spelled, ToDoubleFunction<String> weight, ToIntFunction<String> id) {
            int n = tokens.size();
            String[] t = tokens.toArray(String[]::new);
            String[] s = new String[n];
            double[] w = new double[n];
            int[] ids = new int[n];
            boolean[] u = new boolean[n];
            long[] letters = new long[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                s[i] = Skeleton.of(t[i]);
                // An initial says little about who is meant.
                w[i] = weight.applyAsDouble(t[i]) * (t[i].length() == 1 ? 0.25 : 1.0);
                ids[i] = id.applyAsInt(t[i] + "|" + spelled.get(i));
                u[i] = NameScorer.unvowelled(t[i]);
                letters[i] = NameScorer.letters(t[i]);
                total += w[i];
            }
            return new Form(t, s, w, total, String.join("", t), ids, u, letters, spelled.toArray(String[]::new));
        }
    }

    /**
     * Token similarities already computed for the current query, by query token and vocabulary
     * id: common listed tokens ("mohammad", "bank") are compared once per query, not once per name.
     * One per thread; {@link #next()} starts a new query.
     */
    static final class Memo {
        static final int MAX_TOKENS = 8;
        private final double[] values;
        private final int[] stamps;
        private final int vocabulary;
        private int stamp;

        Memo(int vocabulary) {
            this.vocabulary = vocabulary;
            this.values = new double[MAX_TOKENS * vocabulary];
            this.stamps = new int[MAX_TOKENS * vocabulary];
        }

        void next() {
            if (++stamp == Integer.MAX_VALUE) {
                java.util.Arrays.fill(stamps, 0);
                stamp = 1;
            }
        }
    }

    /** The score with the pairs that produced it. */
    record Explained(
            double score,
            List<MatchExplanation.TokenPair> pairs,
            List<String> unmatchedQuery,
            List<String> unmatchedListed) {}

    static double score(Form q, Form c, Memo memo) {
        return run(q, c, null, memo);
    }

    static Explained explain(Form q, Form c) {
        int[] pairedWith = new int[q.tokens().length];
        double s = run(q, c, pairedWith, null);
        List<MatchExplanation.TokenPair> pairs = new ArrayList<>();
        List<String> unmatchedQuery = new ArrayList<>();
        boolean[] used = new boolean[c.tokens().length];
        for (int i = 0; i < pairedWith.length; i++) {
            int j = pairedWith[i];
            if (j >= 0) {
                used[j] = true;
                pairs.add(new MatchExplanation.TokenPair(q.tokens()[i], c.tokens()[j], round(similarity(q, i, c, j))));
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

    private static double similarity(Form q, int i, Form c, int j) {
        String a = q.tokens()[i];
        String b = c.tokens()[j];
        // Cheap bound first: Jaro cannot exceed what the shared letters allow. Most pairs in a
        // candidate name are different words; this skips their Jaro-Winkler and edit distance.
        if (!q.unvowelled()[i] && a.length() > 1 && b.length() > 1 && !a.equals(b)) {
            int inB = shared(a, c.letters()[j]);
            int inA = shared(b, q.letters()[i]);
            int m = Math.min(inA, inB);
            double jaro = m == 0 ? 0 : ((double) m / a.length() + (double) m / b.length() + 1.0) / 3.0;
            if (jaro + 0.4 * (1.0 - jaro) < 0.7) return 0.0;
        }
        double sim = tokenSimilarity(a, q.skeletons()[i], q.unvowelled()[i], b, c.skeletons()[j]);
        String ra = q.spelled()[i];
        String rb = c.spelled()[j];
        if (sim < 0.9 && (!ra.equals(a) || !rb.equals(b))) {
            // Folding can turn one typo into two edits ("Brxght", "Cohl"/"Chol"): compare as spelt too.
            sim = Math.max(sim, spelledSimilarity(ra, rb));
        }
        return sim;
    }

    private static double spelledSimilarity(String a, String b) {
        if (a.equals(b)) return 1.0;
        double jw = JaroWinkler.similarity(a, b);
        if (jw < 0.7) return jw;
        return (jw + 1.0 - (double) EditDistance.osa(a, b) / Math.max(a.length(), b.length())) / 2.0;
    }

    private static long letters(String t) {
        long m = 0;
        for (int k = 0; k < t.length(); k++) m |= 1L << (t.charAt(k) & 63);
        return m;
    }

    private static int shared(String t, long letters) {
        int n = 0;
        for (int k = 0; k < t.length(); k++) {
            if ((letters & (1L << (t.charAt(k) & 63))) != 0) n++;
        }
        return n;
    }

    private static double run(Form q, Form c, int[] pairedWith, Memo memo) {
        int m = q.tokens().length;
        int n = c.tokens().length;
        double[] sim = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int id = c.ids()[j];
                if (memo != null && id >= 0 && i < Memo.MAX_TOKENS) {
                    int at = i * memo.vocabulary + id;
                    if (memo.stamps[at] != memo.stamp) {
                        memo.values[at] = similarity(q, i, c, j);
                        memo.stamps[at] = memo.stamp;
                    }
                    sim[i * n + j] = memo.values[at];
                } else {
                    sim[i * n + j] = similarity(q, i, c, j);
                }
            }
        }
        if (pairedWith != null) java.util.Arrays.fill(pairedWith, -1);
        long usedQ = 0;
        long usedC = 0;
        double coveredQ = 0;
        double coveredC = 0;
        double weightedSim = 0;
        int pairs = 0; // pairs of whole words (not initials): two or more make the soft regime
        int paired = 0;
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
            // A word paired with an initial is only half covered: "A" says little about "Analytics".
            double cover = 1.0;
            if (q.tokens()[bi].length() > 1 && c.tokens()[bj].length() > 1) {
                pairs++;
            } else if (q.tokens()[bi].length() != c.tokens()[bj].length()) {
                cover = 0.5;
            }
            coveredQ += q.weights()[bi] * cover;
            coveredC += c.weights()[bj] * cover;
            weightedSim += best * (q.weights()[bi] + c.weights()[bj]) * cover;
            paired++;
            if (pairedWith != null) pairedWith[bi] = bj;
        }
        double score = 0.0;
        if (paired > 0) {
            double similarity = weightedSim / (coveredQ + coveredC);
            double share = coveredQ / q.totalWeight();
            double listedShare = coveredC / c.totalWeight();
            score = similarity
                    * (pairs >= 2
                            ? Math.pow(share, ALPHA) * Math.pow(listedShare, BETA)
                            : share * Math.pow(listedShare, 0.5));
        }
        if (m != n && score < 0.97) {
            // Split differently (Abdul Rahman / Abdulrahman): compare the names joined, allowing one typo.
            String a = q.joined();
            String b = c.joined();
            if (a.length() >= 6 && Math.abs(a.length() - b.length()) <= 1 && EditDistance.osa(a, b) <= 1) {
                score = Math.max(score, a.equals(b) ? 0.97 : 0.93);
            } else if (allUnvowelled(q) && a.length() >= 4 && Skeleton.of(a).equals(Skeleton.of(b))) {
                score = Math.max(score, 0.90); // Arabic "bd allh" for Abdullah
            }
        }
        return score;
    }

    /** Similarity of query token {@code a} and listed token {@code b}, with their skeletons. */
    static double tokenSimilarity(String a, String sa, boolean aUnvowelled, String b, String sb) {
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
        // Only the query side: listed acronyms ("SMT") must not pair with every word of their consonants.
        if (sim < 0.9 && aUnvowelled) {
            if (sa.equals(sb) && !sa.isEmpty()) {
                sim = Math.max(sim, sa.length() >= 2 ? 0.90 : 0.82);
            } else if (Math.min(sa.length(), sb.length()) >= 4 && EditDistance.osa(sa, sb) == 1) {
                sim = Math.max(sim, 0.84);
            }
        }
        // An initial stands for any name it begins.
        if ((a.length() == 1 && b.length() > 1 && b.charAt(0) == a.charAt(0))
                || (b.length() == 1 && a.length() > 1 && a.charAt(0) == b.charAt(0))) {
            sim = Math.max(sim, 0.80);
        }
        return sim;
    }

    /**
     * Written without short vowels, as Arabic and Hebrew are: no vowel inside the word (a long
     * first or last vowel may be written, as in "ahmd" or "lksi"); short words must have none after
     * the first letter, so "ali" and "lee" stay ordinary words.
     */
    static boolean unvowelled(String t) {
        int n = t.length();
        if (n < 2) return false;
        int last = n <= 3 ? n : n - 1;
        for (int i = 1; i < last; i++) {
            switch (t.charAt(i)) {
                case 'a', 'e', 'i', 'o', 'u' -> {
                    return false;
                }
                default -> {}
            }
        }
        return true;
    }

    private static boolean allUnvowelled(Form f) {
        for (String t : f.tokens()) {
            if (t.length() > 1 && !unvowelled(t)) return false;
        }
        return true;
    }

    private static double round(double d) {
        return Math.round(d * 1000.0) / 1000.0;
    }
}
