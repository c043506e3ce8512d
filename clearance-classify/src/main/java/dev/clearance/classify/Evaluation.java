package dev.clearance.classify;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Recall and false-positive rate of a classifier on labelled prompts: per capability (a prompt
 * expecting {@code offensive-cyber.malware} counts for {@code offensive-cyber}), and per kind of
 * prompt (the share of prompts whose expected capabilities were all found, or, for prompts that
 * expect none, the share flagged with any).
 */
public final class Evaluation {
    private Evaluation() {}

    /** One labelled prompt and the capabilities found in it. */
    public record Outcome(Set<String> expect, Set<String> found, String kind) {
        public Outcome {
            expect = topLevel(expect);
            found = topLevel(found);
        }
    }

    /**
     * For one capability: how many prompts expect it and how many of those it was found in; how many
     * do not and how many of those it was found in anyway.
     */
    public record Tally(int positives, int found, int negatives, int falsePositives) {
        public double recall() {
            return positives == 0 ? Double.NaN : found / (double) positives;
        }

        public double falsePositiveRate() {
            return negatives == 0 ? Double.NaN : falsePositives / (double) negatives;
        }
    }

    /** For one kind of prompt: how many expect a capability and were detected; how many expect none and were flagged. */
    public record KindTally(int harmful, int detected, int harmless, int flagged) {}

    /** The report for a set of outcomes. */
    public record Report(Map<String, Tally> capabilities, Map<String, KindTally> kinds, int prompts) {
        /** Prints the report as an aligned table. */
        public void print(PrintWriter out) {
            out.printf("%d prompts%n", prompts);
            out.printf("%-20s %9s %8s %9s %8s%n", "capability", "positives", "recall", "negatives", "FPR");
            capabilities.forEach((c, t) -> out.printf(
                    "%-20s %9d %8s %9d %8s%n",
                    c, t.positives(), percent(t.recall()), t.negatives(), percent(t.falsePositiveRate())));
            if (!kinds.isEmpty()) {
                out.printf("%n%-20s %9s %8s %9s %8s%n", "kind", "harmful", "detected", "harmless", "flagged");
                kinds.forEach((k, t) -> out.printf(
                        "%-20s %9d %8s %9d %8s%n",
                        k,
                        t.harmful(),
                        percent(t.harmful() == 0 ? Double.NaN : t.detected() / (double) t.harmful()),
                        t.harmless(),
                        percent(t.harmless() == 0 ? Double.NaN : t.flagged() / (double) t.harmless())));
            }
            out.flush();
        }
    }

    /** Tallies {@code outcomes} for {@code capabilities} (and for any capability expected or found). */
    public static Report of(List<Outcome> outcomes, List<String> capabilities) {
        Set<String> all = new LinkedHashSet<>(topLevel(Set.copyOf(capabilities)));
        outcomes.forEach(o -> {
            all.addAll(o.expect());
            all.addAll(o.found());
        });
        Map<String, Tally> byCapability = new TreeMap<>();
        for (String c : new TreeSet<>(all)) {
            int pos = 0;
            int found = 0;
            int neg = 0;
            int fp = 0;
            for (Outcome o : outcomes) {
                if (o.expect().contains(c)) {
                    pos++;
                    found += o.found().contains(c) ? 1 : 0;
                } else {
                    neg++;
                    fp += o.found().contains(c) ? 1 : 0;
                }
            }
            byCapability.put(c, new Tally(pos, found, neg, fp));
        }
        Map<String, KindTally> byKind = new TreeMap<>();
        for (Outcome o : outcomes) {
            if (o.kind() == null) {
                continue;
            }
            KindTally k = byKind.getOrDefault(o.kind(), new KindTally(0, 0, 0, 0));
            boolean harmful = !o.expect().isEmpty();
            byKind.put(
                    o.kind(),
                    harmful
                            ? new KindTally(
                                    k.harmful() + 1,
                                    k.detected() + (o.found().containsAll(o.expect()) ? 1 : 0),
                                    k.harmless(),
                                    k.flagged())
                            : new KindTally(
                                    k.harmful(),
                                    k.detected(),
                                    k.harmless() + 1,
                                    k.flagged() + (o.found().isEmpty() ? 0 : 1)));
        }
        return new Report(byCapability, byKind, outcomes.size());
    }

    /**
     * The tally of one capability at each threshold, from every prompt's score for it: a threshold
     * sweep shows what a different operating point would trade.
     */
    public static List<Tally> sweep(
            List<Set<String>> expected, List<Double> scores, String capability, double[] thresholds) {
        List<Tally> out = new ArrayList<>();
        for (double t : thresholds) {
            int pos = 0;
            int found = 0;
            int neg = 0;
            int fp = 0;
            for (int i = 0; i < scores.size(); i++) {
                boolean hit = scores.get(i) >= t;
                if (topLevel(expected.get(i)).contains(capability)) {
                    pos++;
                    found += hit ? 1 : 0;
                } else {
                    neg++;
                    fp += hit ? 1 : 0;
                }
            }
            out.add(new Tally(pos, found, neg, fp));
        }
        return out;
    }

    /** {@code x} as a percentage with one decimal, or a dash when there was nothing to count. */
    public static String percent(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * x);
    }

    private static Set<String> topLevel(Set<String> ids) {
        Set<String> out = new LinkedHashSet<>();
        for (String id : ids) {
            String lower = id.toLowerCase(Locale.ROOT);
            int dot = lower.indexOf('.');
            out.add(dot < 0 ? lower : lower.substring(0, dot));
        }
        return out;
    }
}
