package dev.clearance.bench.screening;

import dev.clearance.bench.screening.LabelledQueries.LabelledQuery;
import dev.clearance.screening.ListVersion;
import dev.clearance.screening.ListedParty;
import dev.clearance.screening.PartyType;
import dev.clearance.screening.ScreeningIndex;
import dev.clearance.screening.ScreeningMatch;
import dev.clearance.screening.ScreeningQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How well screening finds listed names and leaves others alone: recall and false-positive rate per variant, a threshold sweep, and the cross-script pairs. */
final class ScreeningAccuracy {
    private ScreeningAccuracy() {}

    /** Screens every labelled query at {@code threshold} and prints recall (listed) or false-positive rate (not listed) per variant, then a threshold sweep; with {@code showMisses}, that many misses per variant. */
    static void report(ScreeningIndex index, List<LabelledQuery> queries, double threshold, long seed, int showMisses) {
        // Recall and false positives per variant.
        Map<String, int[]> counts = new LinkedHashMap<>(); // variant -> {total, hits}
        List<String> misses = new ArrayList<>();
        Map<String, Integer> missesPer = new HashMap<>();
        List<Double> positiveScores = new ArrayList<>();
        List<Double> negativeScores = new ArrayList<>();
        for (LabelledQuery q : queries) {
            List<ScreeningMatch> ms = index.screen(new ScreeningQuery(q.query(), q.kind(), "", ""), threshold, 0.5, 10);
            int[] c = counts.computeIfAbsent(q.variant(), k -> new int[2]);
            c[0]++;
            boolean hit;
            if (q.targetKey() == null) {
                hit = ms.stream().anyMatch(ScreeningMatch::match);
            } else {
                hit = ms.stream()
                        .anyMatch(
                                m -> m.match() && LabelledQueries.key(m.party()).equals(q.targetKey()));
            }
            if (hit) c[1]++;
            double sc = 0;
            for (ScreeningMatch m : ms) {
                if (q.targetKey() == null || LabelledQueries.key(m.party()).equals(q.targetKey()))
                    sc = Math.max(sc, m.score());
            }
            (q.targetKey() == null ? negativeScores : positiveScores).add(sc);
            if ((q.targetKey() == null) == hit && missesPer.merge(q.variant(), 1, Integer::sum) <= showMisses) {
                misses.add(q.variant() + " | " + q.query() + " | target " + q.targetKey() + " | "
                        + (ms.isEmpty()
                                ? "no candidates"
                                : LabelledQueries.key(ms.get(0).party())
                                        + String.format(
                                                Locale.ROOT, " %.3f ", ms.get(0).score())
                                        + ms.get(0).explanation()));
            }
        }
        System.out.printf(
                Locale.ROOT, "%nthreshold %.2f, seed %d, %d labelled queries%n", threshold, seed, queries.size());
        System.out.printf(Locale.ROOT, "%-22s %7s %9s%n", "variant", "queries", "rate");
        int listedTotal = 0;
        int listedHits = 0;
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            boolean negative = e.getKey().startsWith("not-listed");
            int[] c = e.getValue();
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %7d %8.4f %s%n",
                    e.getKey(),
                    c[0],
                    (double) c[1] / c[0],
                    negative ? "false-positive rate" : "recall");
            if (!negative) {
                listedTotal += c[0];
                listedHits += c[1];
            }
        }
        int negTotal = counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith("not-listed"))
                .mapToInt(e -> e.getValue()[0])
                .sum();
        int negHits = counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith("not-listed"))
                .mapToInt(e -> e.getValue()[1])
                .sum();
        System.out.printf(
                Locale.ROOT,
                "%-22s %7d %8.4f recall%n",
                "ALL listed variants",
                listedTotal,
                (double) listedHits / listedTotal);
        System.out.printf(
                Locale.ROOT,
                "%-22s %7d %8.4f false-positive rate%n",
                "ALL not-listed",
                negTotal,
                (double) negHits / negTotal);
        System.out.println("threshold sweep (all listed variants / all not-listed):");
        for (double th = 0.80; th <= 0.951; th += 0.01) {
            double t = th;
            long tp = positiveScores.stream().filter(x -> x >= t).count();
            long fp = negativeScores.stream().filter(x -> x >= t).count();
            System.out.printf(
                    Locale.ROOT,
                    "  %.2f recall %.4f fpr %.4f%n",
                    th,
                    (double) tp / positiveScores.size(),
                    (double) fp / negativeScores.size());
        }
        for (String m : misses) System.out.println("  miss: " + m);
    }

    /** Scores each pair of {@code cross_script_pairs.csv} (query, expected name, minimum score, note), when the file is there. */
    static void crossScript(Path data, double threshold) throws IOException {
        Path file = data.resolve("cross_script_pairs.csv");
        if (!Files.exists(file)) return;
        System.out.printf(
                Locale.ROOT,
                "%ncross-script pairs (%s): score of the query against the expected name alone%n",
                file.getFileName());
        int total = 0;
        int reachedMin = 0;
        int reachedThreshold = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split(",", 4);
            double min = Double.parseDouble(f[2]);
            ListVersion one = new ListVersion(
                    dev.clearance.screening.ListSource.CSL,
                    "pair",
                    java.time.Instant.EPOCH,
                    "-",
                    List.of(new ListedParty(
                            "X", "1", PartyType.PERSON, f[1], List.of(), List.of(), List.of(), List.of())));
            double s = ScreeningIndex.build(List.of(one)).bestScore(ScreeningQuery.ofName(f[0]));
            total++;
            if (s >= min) reachedMin++;
            if (s >= threshold) reachedThreshold++;
            System.out.printf(
                    Locale.ROOT,
                    "  %-18s %-18s min %.2f score %.3f %s  (%s)%n",
                    f[0],
                    f[1],
                    min,
                    s,
                    s >= min ? "ok  " : "BELOW",
                    f[3]);
        }
        System.out.printf(
                Locale.ROOT,
                "  %d/%d reach their minimum, %d/%d reach the threshold%n",
                reachedMin,
                total,
                reachedThreshold,
                total);
    }
}
