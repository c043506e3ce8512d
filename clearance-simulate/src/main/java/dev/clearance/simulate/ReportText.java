package dev.clearance.simulate;

import java.util.List;
import java.util.Map;

/** The report as a short plain-text summary for a terminal: the answers first, the breakdowns after. */
public final class ReportText {
    private static final int TOP = 10;

    private ReportText() {}

    public static String write(ImpactReport r) {
        StringBuilder s = new StringBuilder();
        ImpactReport.Population p = r.principals();
        ImpactReport.Traffic t = r.requests();
        ImpactReport.Counts c = t.totals();
        s.append("Impact of the draft policy\n");
        s.append("  baseline ").append(r.baselinePolicyVersion()).append('\n');
        s.append("  draft    ").append(r.draftPolicyVersion()).append('\n');
        s.append('\n');
        s.append(String.format(
                "Principals (each against %d model%s at %s%s)%n",
                r.models().size(),
                r.models().size() == 1 ? "" : "s",
                r.at(),
                r.capabilities().isEmpty() ? "" : ", capabilities " + String.join(",", r.capabilities())));
        s.append(String.format(
                "  losing access   %,d of %,d (%s)%n",
                p.losingAccess(), p.total(), percent(p.losingAccess(), p.total())));
        s.append(String.format("  gaining access  %,d%n", p.gainingAccess()));
        s.append(String.format("  employees       %,d losing access%n", p.employees()));
        s.append(String.format(
                "  organisations   %,d affected%n",
                p.byOrganization().entrySet().stream()
                        .filter(e -> !e.getKey().equals(PopulationTally.NO_ORGANIZATION))
                        .count()));
        if (!p.byModel().isEmpty()) {
            s.append("  by model:\n");
            for (Map.Entry<String, ImpactReport.ModelAccess> e : new java.util.TreeMap<>(p.byModel()).entrySet()) {
                ImpactReport.ModelAccess a = e.getValue();
                s.append(String.format(
                        "    %-28s %,9d lose  %,9d gain  (allowed %,d -> %,d)%n",
                        e.getKey(), a.losing(), a.gaining(), a.allowedBaseline(), a.allowedDraft()));
            }
        }
        top(s, "  by citizenship:", p.byCitizenship());
        top(s, "  by organisation:", p.byOrganization());
        top(s, "  by directive:", p.byDirective());
        named(s, "losing access", p.losingAccess(), "loses", p.examples());
        named(s, "gaining access", p.gainingAccess(), "gains", p.gaining());
        named(
                s,
                String.format("without access under the draft (%,d of %,d)", p.withoutAccess(), p.total()),
                p.withoutAccess(),
                "denied",
                p.withoutAccessExamples());
        s.append('\n');
        s.append(String.format("Requests (%,d, each decided under both policies)%n", c.total()));
        s.append(String.format("  newly denied    %,d (%s)%n", c.newlyDenied(), percent(c.newlyDenied(), c.total())));
        s.append(String.format("  newly allowed   %,d%n", c.newlyAllowed()));
        s.append(String.format("  unchanged       %,d (denied under both: %,d)%n", c.unchanged(), c.deniedUnderBoth()));
        if (t.unknownPrincipals() > 0) {
            s.append(String.format("  unknown principal %,d (denied under both)%n", t.unknownPrincipals()));
        }
        topCounts(s, "  by model:", t.byModel());
        topCounts(s, "  by country:", t.byCountry());
        if (!t.byDirective().isEmpty()) {
            s.append("  by directive (draft):\n");
            for (Map.Entry<String, ImpactReport.DirectiveTraffic> e :
                    new java.util.TreeMap<>(t.byDirective()).entrySet()) {
                ImpactReport.DirectiveTraffic d = e.getValue();
                s.append(String.format(
                        "    %-40s %,9d newly denied  %,9d denied  %,9d shadow hits%n",
                        e.getKey(), d.newlyDenied(), d.denied(), d.shadowHits()));
            }
        }
        return s.toString();
    }

    /** The principals a list names, one line each: who, of which organisation, what and by which directives. */
    private static void named(StringBuilder s, String what, long count, String verb, List<ImpactReport.Example> list) {
        if (list.isEmpty()) {
            return;
        }
        s.append(String.format(
                "  %s, by name%s:%n",
                what, count > list.size() ? " (first " + list.size() + " of " + count + "; --limit N for more)" : ""));
        for (ImpactReport.Example x : list) {
            s.append(String.format(
                    "    %s (%s)%s, %s%s: %s %s — %s%n",
                    x.id(),
                    x.name().isEmpty() ? x.kind() : x.name(),
                    x.organization().isEmpty() ? "" : " of " + x.organization(),
                    x.citizenships().isEmpty()
                            ? "no citizenship recorded"
                            : "citizen of " + String.join("/", x.citizenships()),
                    x.employee() ? ", employee" : "",
                    verb,
                    String.join(", ", x.models()),
                    x.directives().isEmpty() ? "no directive" : String.join(", ", x.directives())));
        }
        java.util.Set<String> orgs = new java.util.TreeSet<>();
        list.forEach(x -> orgs.add(PopulationTally.organizationOf(x.kind(), x.id(), x.organization())));
        orgs.remove(PopulationTally.NO_ORGANIZATION);
        if (!orgs.isEmpty()) {
            s.append("    organisations: ").append(String.join(", ", orgs)).append('\n');
        }
    }

    private static void top(StringBuilder s, String title, Map<String, Long> m) {
        if (m.isEmpty()) {
            return;
        }
        s.append(title).append('\n');
        List<Map.Entry<String, Long>> l = ReportJson.byCount(m);
        for (Map.Entry<String, Long> e : l.subList(0, Math.min(TOP, l.size()))) {
            s.append(String.format("    %-28s %,9d%n", e.getKey(), e.getValue()));
        }
        if (l.size() > TOP) {
            s.append(String.format("    … and %d more%n", l.size() - TOP));
        }
    }

    private static void topCounts(StringBuilder s, String title, Map<String, ImpactReport.Counts> m) {
        if (m.isEmpty()) {
            return;
        }
        s.append(title).append('\n');
        List<Map.Entry<String, ImpactReport.Counts>> l = ReportJson.byImpact(m);
        for (Map.Entry<String, ImpactReport.Counts> e : l.subList(0, Math.min(TOP, l.size()))) {
            ImpactReport.Counts c = e.getValue();
            s.append(String.format(
                    "    %-28s %,9d newly denied of %,9d  (denied %,d -> %,d)%n",
                    e.getKey(), c.newlyDenied(), c.total(), c.baselineDenied(), c.draftDenied()));
        }
        if (l.size() > TOP) {
            s.append(String.format("    … and %d more%n", l.size() - TOP));
        }
    }

    static String percent(long part, long whole) {
        return whole == 0 ? "0%" : String.format("%.1f%%", 100.0 * part / whole);
    }
}
