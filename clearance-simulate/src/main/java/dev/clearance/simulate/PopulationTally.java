package dev.clearance.simulate;

import dev.clearance.core.Principal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One worker's running counts over a slice of the population; merged at the end. */
final class PopulationTally {
    static final String NO_CITIZENSHIP = "none recorded";
    static final String NO_ORGANIZATION = "none";
    static final String NO_RESIDENCE = "unknown";

    private final int exampleLimit;
    long total;
    long losing;
    long gaining;
    long employees;
    final Map<String, long[]> byKind = new HashMap<>();
    final Map<String, long[]> byCitizenship = new HashMap<>();
    final Map<String, long[]> byOrganization = new HashMap<>();
    final Map<String, long[]> byResidence = new HashMap<>();
    final Map<String, long[]> byDirective = new HashMap<>();
    /** Per model (same order as the simulation's model list): allowed baseline, allowed draft, losing, gaining. */
    final long[][] byModel;

    long withoutAccess;
    /** Named principals with their population index, so merged lists are the first in population order. */
    final List<IndexedExample> examples = new ArrayList<>();

    final List<IndexedExample> gainingExamples = new ArrayList<>();
    final List<IndexedExample> withoutAccessExamples = new ArrayList<>();

    record IndexedExample(int index, ImpactReport.Example example) {}

    PopulationTally(int models, int exampleLimit) {
        this.byModel = new long[models][4];
        this.exampleLimit = exampleLimit;
    }

    /** Employees are principals whose attribute {@code employee} is {@code "true"} (the import convention). */
    static boolean employee(Principal p) {
        return "true".equals(p.attributes().get("employee"));
    }

    /** The principal's organisation; an organisation with none recorded counts as its own. */
    static String organizationOf(Principal p) {
        return organizationOf(p.kind().wireName(), p.id(), p.organization());
    }

    /** As {@link #organizationOf(Principal)}, from a principal's kind (wire name), id and organisation. */
    static String organizationOf(String kind, String id, String organization) {
        if (!organization.isEmpty()) {
            return organization;
        }
        return kind.equals(Principal.Kind.ORGANIZATION.wireName()) ? id : NO_ORGANIZATION;
    }

    void addLosing(int index, Principal p, List<String> modelsLost, List<String> directives) {
        losing++;
        inc(byKind, p.kind().wireName());
        if (p.citizenships().isEmpty()) {
            inc(byCitizenship, NO_CITIZENSHIP);
        }
        for (String c : p.citizenships()) {
            inc(byCitizenship, c);
        }
        inc(byOrganization, organizationOf(p));
        inc(byResidence, p.residenceCountry().isEmpty() ? NO_RESIDENCE : p.residenceCountry());
        for (String d : directives) {
            inc(byDirective, d);
        }
        boolean employee = employee(p);
        if (employee) {
            employees++;
        }
        name(examples, index, p, modelsLost, directives);
    }

    /** A principal who gains access to {@code models}, which the baseline's {@code directives} denied. */
    void addGaining(int index, Principal p, List<String> models, List<String> directives) {
        gaining++;
        name(gainingExamples, index, p, models, directives);
    }

    /** A principal the draft denies {@code models}, by {@code directives}, whether the baseline did or not. */
    void addWithoutAccess(int index, Principal p, List<String> models, List<String> directives) {
        withoutAccess++;
        name(withoutAccessExamples, index, p, models, directives);
    }

    private void name(List<IndexedExample> list, int index, Principal p, List<String> models, List<String> why) {
        if (list.size() < exampleLimit) {
            list.add(new IndexedExample(
                    index,
                    new ImpactReport.Example(
                            p.id(),
                            p.kind().wireName(),
                            p.name(),
                            p.organization(),
                            p.citizenships(),
                            p.residenceCountry(),
                            employee(p),
                            models,
                            why)));
        }
    }

    private static void inc(Map<String, long[]> m, String k) {
        m.computeIfAbsent(k, x -> new long[1])[0]++;
    }

    void merge(PopulationTally o) {
        total += o.total;
        losing += o.losing;
        gaining += o.gaining;
        employees += o.employees;
        withoutAccess += o.withoutAccess;
        mergeMap(byKind, o.byKind);
        mergeMap(byCitizenship, o.byCitizenship);
        mergeMap(byOrganization, o.byOrganization);
        mergeMap(byResidence, o.byResidence);
        mergeMap(byDirective, o.byDirective);
        for (int m = 0; m < byModel.length; m++) {
            for (int i = 0; i < 4; i++) {
                byModel[m][i] += o.byModel[m][i];
            }
        }
        mergeNamed(examples, o.examples);
        mergeNamed(gainingExamples, o.gainingExamples);
        mergeNamed(withoutAccessExamples, o.withoutAccessExamples);
    }

    private void mergeNamed(List<IndexedExample> into, List<IndexedExample> from) {
        into.addAll(from);
        into.sort(Comparator.comparingInt(IndexedExample::index));
        while (into.size() > exampleLimit) {
            into.remove(into.size() - 1);
        }
    }

    private static void mergeMap(Map<String, long[]> into, Map<String, long[]> from) {
        from.forEach((k, v) -> into.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
    }

    ImpactReport.Population toReport(List<String> models) {
        Map<String, ImpactReport.ModelAccess> access = new HashMap<>();
        for (int m = 0; m < models.size(); m++) {
            long[] c = byModel[m];
            access.put(models.get(m), new ImpactReport.ModelAccess(c[0], c[1], c[2], c[3]));
        }
        return new ImpactReport.Population(
                total,
                losing,
                gaining,
                flat(byKind),
                flat(byCitizenship),
                flat(byOrganization),
                flat(byResidence),
                flat(byDirective),
                employees,
                access,
                named(examples),
                named(gainingExamples),
                withoutAccess,
                named(withoutAccessExamples));
    }

    private static List<ImpactReport.Example> named(List<IndexedExample> list) {
        return list.stream().map(IndexedExample::example).toList();
    }

    private static Map<String, Long> flat(Map<String, long[]> m) {
        Map<String, Long> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }
}
