package dev.clearance.simulate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.clearance.core.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report as JSON (documented key by key in {@code docs/simulation.md}). Keys appear in a fixed
 * order; count maps are sorted by count, descending, then by key, so the biggest impact reads first.
 */
public final class ReportJson {
    private ReportJson() {}

    public static String write(ImpactReport r) {
        StringWriter sw = new StringWriter(4096);
        try (JsonGenerator g = new JsonFactory().createGenerator(sw)) {
            g.useDefaultPrettyPrinter();
            write(g, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw + "\n";
    }

    static void write(JsonGenerator g, ImpactReport r) throws IOException {
        g.writeStartObject();
        g.writeStringField("baseline_policy_version", r.baselinePolicyVersion());
        g.writeStringField("draft_policy_version", r.draftPolicyVersion());
        directives(g, "baseline_directives", r.baselineDirectives());
        directives(g, "draft_directives", r.draftDirectives());
        g.writeStringField("at", r.at().toString());
        Json.stringArray(g, "models", r.models());
        Json.stringArray(g, "capabilities", r.capabilities());

        ImpactReport.Traffic t = r.requests();
        g.writeObjectFieldStart("requests");
        g.writeNumberField("total", t.totals().total());
        g.writeNumberField("newly_denied", t.totals().newlyDenied());
        g.writeNumberField("newly_allowed", t.totals().newlyAllowed());
        g.writeNumberField("unchanged", t.totals().unchanged());
        g.writeNumberField("denied_baseline", t.totals().baselineDenied());
        g.writeNumberField("denied_draft", t.totals().draftDenied());
        g.writeNumberField("unknown_principal", t.unknownPrincipals());
        g.writeObjectFieldStart("by_directive");
        for (Map.Entry<String, ImpactReport.DirectiveTraffic> e : new TreeMap<>(t.byDirective()).entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            g.writeNumberField("newly_denied", e.getValue().newlyDenied());
            g.writeNumberField("denied", e.getValue().denied());
            g.writeNumberField("shadow_hits", e.getValue().shadowHits());
            g.writeEndObject();
        }
        g.writeEndObject();
        countsMap(g, "by_model", t.byModel());
        countsMap(g, "by_country", t.byCountry());
        g.writeArrayFieldStart("over_time");
        for (ImpactReport.TimeBucket b : t.overTime()) {
            g.writeStartObject();
            g.writeStringField("start", b.start().toString());
            g.writeNumberField("hours", b.width().toHours());
            countsFields(g, b.counts());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();

        ImpactReport.Population p = r.principals();
        g.writeObjectFieldStart("principals");
        g.writeNumberField("total", p.total());
        g.writeNumberField("losing_access", p.losingAccess());
        g.writeNumberField("gaining_access", p.gainingAccess());
        counts(g, "by_kind", p.byKind());
        counts(g, "by_citizenship", p.byCitizenship());
        counts(g, "by_organization", p.byOrganization());
        counts(g, "by_residence", p.byResidence());
        counts(g, "by_directive", p.byDirective());
        g.writeNumberField("employees", p.employees());
        g.writeObjectFieldStart("by_model");
        for (Map.Entry<String, ImpactReport.ModelAccess> e : new TreeMap<>(p.byModel()).entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            g.writeNumberField("allowed_baseline", e.getValue().allowedBaseline());
            g.writeNumberField("allowed_draft", e.getValue().allowedDraft());
            g.writeNumberField("losing_access", e.getValue().losing());
            g.writeNumberField("gaining_access", e.getValue().gaining());
            g.writeEndObject();
        }
        g.writeEndObject();
        named(g, "examples", "models_lost", p.examples());
        named(g, "gaining", "models_gained", p.gaining());
        g.writeNumberField("without_access", p.withoutAccess());
        named(g, "without_access_examples", "models_denied", p.withoutAccessExamples());
        g.writeEndObject();

        ImpactReport.Run run = r.run();
        g.writeObjectFieldStart("run");
        g.writeNumberField("decisions", run.decisions());
        g.writeNumberField("traffic_ms", run.trafficMillis());
        g.writeNumberField("population_ms", run.populationMillis());
        g.writeNumberField("traffic_cpu_ms", run.trafficCpuMillis());
        g.writeNumberField("population_cpu_ms", run.populationCpuMillis());
        g.writeNumberField("workers", run.workers());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void directives(JsonGenerator g, String field, List<ImpactReport.PolicyDirective> list)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (ImpactReport.PolicyDirective d : list) {
            g.writeStartObject();
            g.writeStringField("id", d.id());
            g.writeStringField("title", d.title());
            g.writeStringField("authority", d.authority());
            g.writeStringField("mode", d.mode());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void named(JsonGenerator g, String field, String modelsField, List<ImpactReport.Example> list)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (ImpactReport.Example x : list) {
            g.writeStartObject();
            g.writeStringField("id", x.id());
            g.writeStringField("kind", x.kind());
            g.writeStringField("name", x.name());
            g.writeStringField("organization", x.organization());
            Json.stringArray(g, "citizenships", x.citizenships());
            g.writeStringField("residence_country", x.residenceCountry());
            g.writeBooleanField("employee", x.employee());
            Json.stringArray(g, modelsField, x.models());
            Json.stringArray(g, "directives", x.directives());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void countsMap(JsonGenerator g, String field, Map<String, ImpactReport.Counts> m)
            throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, ImpactReport.Counts> e : byImpact(m)) {
            g.writeObjectFieldStart(e.getKey());
            countsFields(g, e.getValue());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void countsFields(JsonGenerator g, ImpactReport.Counts c) throws IOException {
        g.writeNumberField("total", c.total());
        g.writeNumberField("newly_denied", c.newlyDenied());
        g.writeNumberField("newly_allowed", c.newlyAllowed());
        g.writeNumberField("unchanged", c.unchanged());
        g.writeNumberField("denied_baseline", c.baselineDenied());
        g.writeNumberField("denied_draft", c.draftDenied());
    }

    /** Entries by newly denied, then total, descending, then key: what a reader should see first. */
    static List<Map.Entry<String, ImpactReport.Counts>> byImpact(Map<String, ImpactReport.Counts> m) {
        List<Map.Entry<String, ImpactReport.Counts>> l = new ArrayList<>(m.entrySet());
        l.sort(Comparator.<Map.Entry<String, ImpactReport.Counts>>comparingLong(
                        e -> -e.getValue().newlyDenied())
                .thenComparingLong(e -> -e.getValue().total())
                .thenComparing(Map.Entry::getKey));
        return l;
    }

    static List<Map.Entry<String, Long>> byCount(Map<String, Long> m) {
        List<Map.Entry<String, Long>> l = new ArrayList<>(m.entrySet());
        l.sort(Comparator.<Map.Entry<String, Long>>comparingLong(e -> -e.getValue())
                .thenComparing(Map.Entry::getKey));
        return l;
    }

    private static void counts(JsonGenerator g, String field, Map<String, Long> m) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Long> e : byCount(m)) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
