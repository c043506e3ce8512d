package dev.clearance.screening;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable, thread-safe index over the names and aliases of imported lists.
 *
 * <p>A query never scans the whole list. Candidates are gathered from blocking keys: each listed
 * token, its consonant {@link Skeleton}, its one-character deletions (so any single typo meets
 * its original), its first four letters (an n-gram key for longer spelling differences) and the
 * joins of adjacent tokens ({@code Abdul Rahman} = {@code Abdulrahman}).
 * Keys add their token's inverse document frequency to a candidate, and only the strongest
 * candidates are scored in full by {@link NameScorer}.
 */
public final class ScreeningIndex {
    /**
     * The score at which a listed party counts as a potential match. Chosen on the evaluation
     * harness (docs/benchmarks.md, "Screening"): recall of disguised listed names >= 0.97 with
     * under 1% of unlisted names flagged.
     */
    public static final double DEFAULT_THRESHOLD = 0.85;
    /** At most this many parties are returned per query by default. */
    public static final int DEFAULT_LIMIT = 10;

    /** Candidates scored in full per query. */
    private static final int CANDIDATES = 64;
    /** Posting lists longer than this carry almost no information and are not walked. */
    private static final int MAX_POSTING = 3000;

    private static final Pattern YEAR = Pattern.compile("\\b(1[89]\\d\\d|20\\d\\d)\\b");

    private final List<ListVersion> versions;
    private final ListedParty[] parties;
    private final Name[] names;
    private final float[] nameWeights;
    private final Map<String, int[]> byToken;
    private final Map<String, int[]> bySkeleton;
    private final Map<String, int[]> byDeletion;
    private final Map<String, int[]> byPrefix;
    private final Map<String, Integer> documentFrequency;
    private final double unseenWeight;
    private final String[][] partyCountries;
    private final int[][] partyYears;
    private final ThreadLocal<Scratch> scratch;

    /** A listed name or alias, normalised once. */
    record Name(int party, String text, boolean alias, NameScorer.Form form) {}

    private ScreeningIndex(List<ListVersion> versions) {
        this.versions = List.copyOf(versions);
        List<ListedParty> ps = new ArrayList<>();
        for (ListVersion v : versions) ps.addAll(v.parties());
        this.parties = ps.toArray(ListedParty[]::new);

        List<Name> pending = new ArrayList<>();
        Map<String, Integer> df = new HashMap<>();
        List<List<String>> tokenLists = new ArrayList<>();
        List<List<String>> spelledLists = new ArrayList<>();
        partyCountries = new String[parties.length][];
        partyYears = new int[parties.length][];
        for (int p = 0; p < parties.length; p++) {
            ListedParty party = parties[p];
            partyCountries[p] = party.countries().stream()
                    .map(Countries::code)
                    .filter(c -> !c.isEmpty())
                    .distinct()
                    .toArray(String[]::new);
            partyYears[p] = party.datesOfBirth().stream()
                    .flatMap(d -> years(d).stream())
                    .mapToInt(Integer::intValue)
                    .distinct()
                    .toArray();
            List<String> all = new ArrayList<>();
            all.add(party.name());
            all.addAll(party.aliases());
            Set<String> seenForms = new HashSet<>();
            for (int a = 0; a < all.size(); a++) {
                NameNormalizer.Normalized n = NameNormalizer.normalize(all.get(a), party.type());
                if (n.tokens().isEmpty() || !seenForms.add(String.join(" ", n.tokens()))) continue;
                tokenLists.add(n.tokens());
                spelledLists.add(n.spelled());
                pending.add(new Name(p, all.get(a), a > 0, null));
                for (String t : new HashSet<>(n.tokens())) df.merge(t, 1, Integer::sum);
            }
        }
        this.documentFrequency = Map.copyOf(df);
        int total = Math.max(1, pending.size());
        this.unseenWeight = Math.log(1.0 + total);
        this.names = new Name[pending.size()];
        Map<String, Integer> vocabulary = new HashMap<>();
        Map<String, List<Integer>> tok = new HashMap<>();
        Map<String, List<Integer>> skel = new HashMap<>();
        Map<String, List<Integer>> del = new HashMap<>();
        Map<String, List<Integer>> prefix = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            Name n = pending.get(i);
            NameScorer.Form form = NameScorer.Form.of(
                    tokenLists.get(i),
                    spelledLists.get(i),
                    this::weight,
                    t -> vocabulary.computeIfAbsent(t, k -> vocabulary.size()));
            names[i] = new Name(n.party(), n.text(), n.alias(), form);
            for (int k = 0; k < form.tokens().length; k++) {
                String t = form.tokens()[k];
                add(tok, t, i);
                if (form.skeletons()[k].length() >= 2) add(skel, form.skeletons()[k], i);
                if (t.length() >= 4) {
                    for (String d : deletions(t)) add(del, d, i);
                }
                if (t.length() >= 5) add(prefix, t.substring(0, 4), i);
                if (k + 1 < form.tokens().length) add(tok, t + form.tokens()[k + 1], i);
            }
        }
        this.nameWeights = new float[names.length];
        for (int i = 0; i < names.length; i++)
            nameWeights[i] = (float) names[i].form().totalWeight();
        this.byToken = freeze(tok);
        this.bySkeleton = freeze(skel);
        this.byDeletion = freeze(del);
        this.byPrefix = freeze(prefix);
        int size = names.length;
        int vocabularySize = vocabulary.size();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(size, vocabularySize));
    }

    /** Builds the index over every party of the given list versions. */
    public static ScreeningIndex build(List<ListVersion> versions) {
        return new ScreeningIndex(versions);
    }

    /** The list versions this index was built from. */
    public List<ListVersion> versions() {
        return versions;
    }

    /** Number of indexed names and aliases (after removing duplicates). */
    public int nameCount() {
        return names.length;
    }

    /** Number of listed parties. */
    public int partyCount() {
        return parties.length;
    }

    /**
     * The listed parties most similar to the query, best first, one entry per party (its best
     * name or alias), at most {@code limit}; {@code match} is set where the score reaches
     * {@code threshold}. Parties scoring below {@code minScore} are left out.
     */
    public List<ScreeningMatch> screen(ScreeningQuery query, double threshold, double minScore, int limit) {
        NameNormalizer.Normalized n = NameNormalizer.normalize(query.name(), query.kind());
        if (n.tokens().isEmpty()) return List.of();
        NameScorer.Form q = NameScorer.Form.of(n.tokens(), n.spelled(), this::weight, t -> -1);
        int[] candidates = candidates(q);
        NameScorer.Memo memo = scratch.get().memo;
        memo.next();
        QueryFacts facts = QueryFacts.of(query);

        // Best name per party, then the top parties.
        Map<Integer, double[]> bestByParty = new HashMap<>();
        for (int c : candidates) {
            Name name = names[c];
            double s = NameScorer.score(q, name.form(), memo) * adjustment(facts, name.party(), null);
            if (s < minScore) continue;
            double[] best = bestByParty.get(name.party());
            if (best == null || s > best[0]) bestByParty.put(name.party(), new double[] {s, c});
        }
        List<Map.Entry<Integer, double[]>> ranked = new ArrayList<>(bestByParty.entrySet());
        ranked.sort(Comparator.comparingDouble((Map.Entry<Integer, double[]> e) -> -e.getValue()[0])
                .thenComparing(e -> parties[e.getKey()].entityId()));
        List<ScreeningMatch> out = new ArrayList<>(Math.min(limit, ranked.size()));
        for (int i = 0; i < ranked.size() && i < limit; i++) {
            int party = ranked.get(i).getKey();
            Name name = names[(int) ranked.get(i).getValue()[1]];
            List<String> adjustments = new ArrayList<>();
            NameScorer.Explained e = NameScorer.explain(q, name.form());
            double score = clamp(e.score() * adjustment(facts, party, adjustments));
            out.add(new ScreeningMatch(
                    parties[party],
                    score,
                    score >= threshold,
                    new MatchExplanation(
                            name.text(),
                            name.alias(),
                            e.pairs(),
                            e.unmatchedQuery(),
                            e.unmatchedListed(),
                            e.score(),
                            adjustments)));
        }
        return out;
    }

    /** Best score of the query against any listed party, without building explanations. */
    public double bestScore(ScreeningQuery query) {
        NameNormalizer.Normalized n = NameNormalizer.normalize(query.name(), query.kind());
        if (n.tokens().isEmpty()) return 0.0;
        NameScorer.Form q = NameScorer.Form.of(n.tokens(), n.spelled(), this::weight, t -> -1);
        QueryFacts facts = QueryFacts.of(query);
        double best = 0.0;
        int[] candidates = candidates(q);
        NameScorer.Memo memo = scratch.get().memo;
        memo.next();
        for (int c : candidates) {
            best = Math.max(
                    best,
                    clamp(NameScorer.score(q, names[c].form(), memo) * adjustment(facts, names[c].party(), null)));
        }
        return best;
    }

    private double weight(String token) {
        Integer df = documentFrequency.get(token);
        double w = df == null ? unseenWeight : Math.log(1.0 + (double) names.length / df);
        // Longer tokens carry more identity than short ones with the same frequency.
        return w * (0.6 + 0.4 * Math.min(token.length(), 8) / 8.0);
    }

    /** Gathers candidate name ids by blocking keys, strongest first. */
    private int[] candidates(NameScorer.Form q) {
        Scratch s = scratch.get();
        s.reset();
        String[] tokens = q.tokens();
        for (int k = 0; k < tokens.length; k++) {
            String t = tokens[k];
            s.token++;
            double w = q.weights()[k];
            // Strongest evidence first: a name takes one contribution per query token.
            boolean exact = hit(s, byToken.get(t), w, tokens.length == 1);
            // A listed word in a longer query: its neighbours block the name; spare the typo keys.
            if (t.length() >= 3 && !(exact && tokens.length > 1)) {
                hit(s, byDeletion.get(t), 0.85 * w, false);
                for (String d : deletions(t)) {
                    hit(s, byDeletion.get(d), 0.85 * w, false);
                    hit(s, byToken.get(d), 0.85 * w, false);
                }
            }
            hit(s, bySkeleton.get(q.skeletons()[k]), 0.7 * w, false);
            if (t.length() >= 5) hit(s, byPrefix.get(t.substring(0, 4)), 0.5 * w, false);
            if (k + 1 < tokens.length) {
                s.token++;
                hit(s, byToken.get(t + tokens[k + 1]), w + q.weights()[k + 1], false);
            }
        }
        if (tokens.length > 1) {
            String joined = String.join("", tokens);
            s.token++;
            hit(s, byToken.get(joined), 1.0, false);
            // Unvowelled scripts split words the lists write as one (Arabic "bd allh" for Abdullah).
            for (int k = 0; k + 1 < tokens.length; k++) {
                String sk = Skeleton.of(tokens[k] + tokens[k + 1]);
                if (sk.length() >= 3) {
                    s.token++;
                    hit(s, bySkeleton.get(sk), 0.5 * (q.weights()[k] + q.weights()[k + 1]), false);
                }
            }
        }
        return s.top(CANDIDATES, nameWeights, q.totalWeight());
    }

    private static boolean hit(Scratch s, int[] posting, double weight, boolean always) {
        if (posting == null) return false;
        if (posting.length > MAX_POSTING && !always) return true;
        for (int id : posting) {
            if (s.stamp[id] == s.token) continue; // one contribution per query token
            s.stamp[id] = s.token;
            if (s.score[id] == 0f) s.touched[s.touchedCount++] = id;
            s.score[id] += (float) weight;
        }
        return true;
    }

    private double adjustment(QueryFacts facts, int party, List<String> why) {
        double f = 1.0;
        ListedParty p = parties[party];
        if (facts.kind() != PartyType.UNKNOWN && p.type() != PartyType.UNKNOWN && facts.kind() != p.type()) {
            f *= 0.85;
            if (why != null)
                why.add("kind " + facts.kind().name().toLowerCase(Locale.ROOT) + " vs listed "
                        + p.type().name().toLowerCase(Locale.ROOT) + " x0.85");
        }
        String[] countries = partyCountries[party];
        if (!facts.country().isEmpty() && countries.length > 0) {
            if (Arrays.asList(countries).contains(facts.country())) {
                f *= 1.03;
                if (why != null) why.add("country " + facts.country() + " listed x1.03");
            } else {
                f *= 0.95;
                if (why != null)
                    why.add("country " + facts.country() + " not among listed " + Arrays.toString(countries)
                            + " x0.95");
            }
        }
        int[] years = partyYears[party];
        if (facts.birthYear() > 0 && years.length > 0) {
            boolean near = false;
            for (int y : years) near |= Math.abs(y - facts.birthYear()) <= 1;
            if (near) {
                f *= 1.05;
                if (why != null) why.add("birth year " + facts.birthYear() + " listed x1.05");
            } else {
                f *= 0.8;
                if (why != null)
                    why.add("birth year " + facts.birthYear() + " not among listed " + Arrays.toString(years)
                            + " x0.80");
            }
        }
        return f;
    }

    private static double clamp(double s) {
        return Math.max(0.0, Math.min(1.0, s));
    }

    private record QueryFacts(PartyType kind, String country, int birthYear) {
        static QueryFacts of(ScreeningQuery q) {
            List<Integer> ys = years(q.dateOfBirth());
            return new QueryFacts(q.kind(), Countries.code(q.country()), ys.isEmpty() ? 0 : ys.get(0));
        }
    }

    private static List<Integer> years(String text) {
        List<Integer> out = new ArrayList<>();
        Matcher m = YEAR.matcher(text);
        while (m.find()) out.add(Integer.parseInt(m.group(1)));
        return out;
    }

    static List<String> deletions(String t) {
        List<String> out = new ArrayList<>(t.length());
        for (int i = 0; i < t.length(); i++) {
            if (i > 0 && t.charAt(i) == t.charAt(i - 1)) continue;
            out.add(t.substring(0, i) + t.substring(i + 1));
        }
        return out;
    }

    private static void add(Map<String, List<Integer>> m, String key, int id) {
        List<Integer> l = m.computeIfAbsent(key, k -> new ArrayList<>(2));
        if (l.isEmpty() || l.get(l.size() - 1) != id) l.add(id);
    }

    private static Map<String, int[]> freeze(Map<String, List<Integer>> m) {
        Map<String, int[]> out = new HashMap<>(m.size() * 2);
        for (Map.Entry<String, List<Integer>> e : m.entrySet()) {
            out.put(
                    e.getKey(),
                    e.getValue().stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** Per-thread accumulators, reused across queries so the hot path does not allocate per name. */
    private static final class Scratch {
        final float[] score;
        final int[] stamp;
        final int[] touched;
        int touchedCount;
        int token;

        final NameScorer.Memo memo;

        Scratch(int size, int vocabulary) {
            memo = new NameScorer.Memo(vocabulary);
            score = new float[size];
            stamp = new int[size];
            touched = new int[size];
        }

        void reset() {
            if (token > Integer.MAX_VALUE - 1_000_000) {
                Arrays.fill(stamp, 0);
                token = 0;
            }
            for (int i = 0; i < touchedCount; i++) score[touched[i]] = 0f;
            touchedCount = 0;
        }

        int[] top(int k, float[] nameWeights, double queryWeight) {
            int n = touchedCount;
            if (n <= k) return Arrays.copyOf(touched, n);
            // Rank by the share of both names the keys cover (Dice-like), so a short listed name
            // that shares every key is not crowded out by long names sharing one common word.
            for (int i = 0; i < n; i++) {
                int id = touched[i];
                score[id] = (float) (score[id] / (queryWeight + nameWeights[id]));
            }
            // A k-sized min-heap over the touched ids: O(n log k), no boxing.
            int[] heap = new int[k];
            int size = 0;
            for (int i = 0; i < n; i++) {
                int id = touched[i];
                if (size < k) {
                    heap[size] = id;
                    int c = size++;
                    while (c > 0) {
                        int parent = (c - 1) / 2;
                        if (score[heap[parent]] <= score[heap[c]]) break;
                        int t = heap[parent];
                        heap[parent] = heap[c];
                        heap[c] = t;
                        c = parent;
                    }
                } else if (score[id] > score[heap[0]]) {
                    heap[0] = id;
                    int c = 0;
                    while (true) {
                        int l = 2 * c + 1;
                        int r = l + 1;
                        int m = c;
                        if (l < k && score[heap[l]] < score[heap[m]]) m = l;
                        if (r < k && score[heap[r]] < score[heap[m]]) m = r;
                        if (m == c) break;
                        int t = heap[m];
                        heap[m] = heap[c];
                        heap[c] = t;
                        c = m;
                    }
                }
            }
            return heap;
        }
    }
}
