package dev.clearance.simulate;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML page: headline numbers, then charts drawn as inline SVG (no
 * scripts, no external fonts, styles or images), then the tables behind them. Every chart uses the
 * same four classes, so the colour of change reads the same everywhere: red for newly denied, blue
 * for newly allowed, greys for what stays as it was. The console shows the same {@link #charts}.
 */
public final class ReportHtml {
    /** The four classes every chart of the report uses, in this order. */
    public static final SvgCharts CLASSES = new SvgCharts(
            List.of("#d4dae3", "#6b7686", "#d62f2f", "#2f6fd6"),
            List.of("allowed under both", "denied under both", "newly denied", "newly allowed"));

    private static final int NEWLY_DENIED = 2;
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ReportHtml() {}

    /**
     * One chart of the report: its section ({@code Traffic} or {@code Principals}), title and SVG.
     *
     * @param wide whether it is drawn across the page (time series) rather than in a column
     */
    public record Chart(String section, String title, String svg, boolean wide) {}

    private static SvgCharts.Row row(String label, ImpactReport.Counts c) {
        return new SvgCharts.Row(
                label, new long[] {c.allowedUnderBoth(), c.deniedUnderBoth(), c.newlyDenied(), c.newlyAllowed()});
    }

    /** The report's charts, in the order the page shows them. */
    public static List<Chart> charts(ImpactReport r) {
        ImpactReport.Population p = r.principals();
        ImpactReport.Traffic t = r.requests();
        List<Chart> out = new ArrayList<>();
        List<SvgCharts.Row> models = new ArrayList<>();
        for (Map.Entry<String, ImpactReport.Counts> e : ReportJson.byImpact(t.byModel())) {
            models.add(row(e.getKey(), e.getValue()));
        }
        out.add(chart("Traffic", "requests-by-model", "Requests by model", models));
        List<SvgCharts.Row> countries = new ArrayList<>();
        for (Map.Entry<String, ImpactReport.Counts> e : ReportJson.byImpact(t.byCountry())) {
            countries.add(row(e.getKey(), e.getValue()));
        }
        out.add(chart("Traffic", "requests-by-country", "Requests by client country", countries));
        List<SvgCharts.Column> columns = new ArrayList<>();
        for (ImpactReport.TimeBucket b : t.overTime()) {
            columns.add(new SvgCharts.Column(b.start(), row("", b.counts()).classes()));
        }
        boolean hourly = t.overTime().isEmpty() || t.overTime().get(0).width().toHours() < 24;
        String overTime = "Requests over time (UTC)";
        out.add(new Chart(
                "Traffic",
                overTime,
                CLASSES.columns("requests-over-time", overTime, columns, hourly ? HOUR : DAY),
                true));

        List<SvgCharts.Row> access = new ArrayList<>();
        for (Map.Entry<String, ImpactReport.ModelAccess> e : new java.util.TreeMap<>(p.byModel()).entrySet()) {
            ImpactReport.ModelAccess a = e.getValue();
            access.add(new SvgCharts.Row(e.getKey(), new long[] {
                a.allowedBaseline() - a.losing(), p.total() - a.allowedBaseline() - a.gaining(), a.losing(), a.gaining()
            }));
        }
        access.sort((x, y) -> Long.compare(y.classes()[NEWLY_DENIED], x.classes()[NEWLY_DENIED]));
        out.add(chart("Principals", "principals-by-model", "Principals' access by model", access));
        out.add(losing("losing-by-citizenship", "Principals losing access, by citizenship", p.byCitizenship()));
        out.add(losing("losing-by-organization", "Principals losing access, by organisation", p.byOrganization()));
        out.add(losing("losing-by-residence", "Principals losing access, by country of residence", p.byResidence()));
        return out;
    }

    private static Chart chart(String section, String id, String title, List<SvgCharts.Row> rows) {
        return new Chart(section, title, CLASSES.stackedBars(id, title, rows, NEWLY_DENIED), false);
    }

    /** One red bar per key (the top rows): counts of principals losing access. */
    private static Chart losing(String id, String title, Map<String, Long> m) {
        if (m.isEmpty()) {
            return new Chart("Principals", title, "<p class=\"empty\">Nobody loses access.</p>", false);
        }
        List<SvgCharts.Row> rows = new ArrayList<>();
        for (Map.Entry<String, Long> e : ReportJson.byCount(m)) {
            rows.add(new SvgCharts.Row(e.getKey(), new long[] {0, 0, e.getValue(), 0}));
        }
        return new Chart("Principals", title, CLASSES.stackedBars(id, title, rows, -1), false);
    }

    public static String write(ImpactReport r) {
        ImpactReport.Population p = r.principals();
        ImpactReport.Traffic t = r.requests();
        ImpactReport.Counts c = t.totals();
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Impact report: draft policy</title><style>")
                .append(
                        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}")
                .append("main{max-width:1080px;margin:0 auto;padding:24px 28px 48px}")
                .append("h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px}")
                .append(".meta{color:#5b6577;font-size:13px;word-break:break-all}")
                .append(
                        ".tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:12px;margin:20px 0}")
                .append(
                        ".tile{background:#fff;border-radius:8px;padding:14px 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}")
                .append(
                        ".tile b{display:block;font-size:28px}.tile span{color:#5b6577;font-size:13px}.tile.bad b{color:#c62828}.tile.good b{color:#2f6fd6}")
                .append(
                        ".card{background:#fff;border-radius:8px;padding:12px 16px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}")
                .append(".grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:12px}")
                .append(".wide{grid-column:1/-1}h3{font-size:15px;margin:4px 0 8px}")
                .append(
                        ".legend{font-size:12px;color:#3a4352;margin:4px 0 8px}.legend svg{margin:0 2px 0 10px;vertical-align:-1px}")
                .append(
                        "table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e6e8ec}th{color:#5b6577;font-weight:600}")
                .append(
                        "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}svg text{font-size:12px;fill:#2b3240}svg{max-width:100%;height:auto}")
                .append(".empty{color:#5b6577;font-style:italic}")
                .append("</style></head><body><main>\n");
        h.append("<h1>What the draft policy would change</h1>");
        policies(h, r);
        h.append("<div class=\"meta\">baseline ")
                .append(esc(r.baselinePolicyVersion()))
                .append("<br>draft ")
                .append(esc(r.draftPolicyVersion()))
                .append("<br>principals evaluated at ")
                .append(esc(r.at().toString()))
                .append(" against ")
                .append(r.models().size())
                .append(" model(s)")
                .append(r.capabilities().isEmpty() ? "" : ", capabilities " + esc(String.join(", ", r.capabilities())))
                .append("; ")
                .append(String.format("%,d", c.total()))
                .append(" recorded requests decided under both</div>\n");

        long orgs = p.byOrganization().keySet().stream()
                .filter(k -> !k.equals(PopulationTally.NO_ORGANIZATION))
                .count();
        h.append("<div class=\"tiles\">");
        tile(
                h,
                "bad",
                String.format("%,d", p.losingAccess()),
                "principals lose access (" + ReportText.percent(p.losingAccess(), p.total()) + " of "
                        + String.format("%,d", p.total()) + ")");
        tile(h, "bad", String.format("%,d", p.employees()), "of them employees");
        tile(h, "bad", String.format("%,d", orgs), "organisations with members losing access");
        tile(
                h,
                "bad",
                String.format("%,d", c.newlyDenied()),
                "requests newly denied (" + ReportText.percent(c.newlyDenied(), c.total()) + " of traffic)");
        tile(h, "good", String.format("%,d", c.newlyAllowed()), "requests newly allowed");
        tile(h, "good", String.format("%,d", p.gainingAccess()), "principals gain access");
        h.append("</div>\n");

        String section = "";
        for (Chart ch : charts(r)) {
            if (!ch.section().equals(section)) {
                h.append(section.isEmpty() ? "" : "</div>")
                        .append("<h2>")
                        .append(esc(ch.section()))
                        .append("</h2>")
                        .append(CLASSES.legend())
                        .append("<div class=\"grid\">");
                section = ch.section();
            }
            card(h, ch.wide() ? "card wide" : "card", ch.title(), ch.svg());
        }
        h.append("</div>");

        h.append("<h2>Who loses access, for example</h2><div class=\"card\">");
        if (p.examples().isEmpty()) {
            h.append("<p class=\"empty\">Nobody loses access.</p>");
        } else {
            h.append(
                    "<table><tr><th>Principal</th><th>Name</th><th>Organisation</th><th>Citizenships</th><th>Residence</th><th>Employee</th><th>Loses</th><th>Cut by</th></tr>");
            for (ImpactReport.Example x : p.examples()) {
                h.append("<tr><td>")
                        .append(esc(x.id()))
                        .append("</td><td>")
                        .append(esc(x.name()))
                        .append("</td><td>")
                        .append(esc(x.organization()))
                        .append("</td><td>")
                        .append(esc(String.join(", ", x.citizenships())))
                        .append("</td><td>")
                        .append(esc(x.residenceCountry()))
                        .append("</td><td>")
                        .append(x.employee() ? "yes" : "")
                        .append("</td><td>")
                        .append(esc(String.join(", ", x.models())))
                        .append("</td><td>")
                        .append(esc(String.join(", ", x.directives())))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("</div>");

        h.append("<h2>Directives of the draft</h2><div class=\"card\">");
        if (t.byDirective().isEmpty() && p.byDirective().isEmpty()) {
            h.append("<p class=\"empty\">No directive of the draft denied or shadow-hit anything.</p>");
        } else {
            h.append(
                            "<table><tr><th>Directive</th><th class=\"n\">Principals cut off</th><th class=\"n\">Requests newly denied</th>")
                    .append("<th class=\"n\">Requests denied</th><th class=\"n\">Shadow hits</th></tr>");
            java.util.TreeSet<String> ids =
                    new java.util.TreeSet<>(t.byDirective().keySet());
            ids.addAll(p.byDirective().keySet());
            for (String id : ids) {
                ImpactReport.DirectiveTraffic d =
                        t.byDirective().getOrDefault(id, new ImpactReport.DirectiveTraffic(0, 0, 0));
                h.append("<tr><td>").append(esc(id)).append("</td>");
                num(h, p.byDirective().getOrDefault(id, 0L));
                num(h, d.newlyDenied());
                num(h, d.denied());
                num(h, d.shadowHits());
                h.append("</tr>");
            }
            h.append("</table>");
        }
        h.append("</div>\n</main></body></html>\n");
        return h.toString();
    }

    private static void num(StringBuilder h, long v) {
        h.append("<td class=\"n\">").append(String.format("%,d", v)).append("</td>");
    }

    /**
     * The two policies side by side as the people who sign off know them: each directive's id, title
     * and authority, with a directive only one of them holds marked (the hashes follow below).
     */
    private static void policies(StringBuilder h, ImpactReport r) {
        h.append("<div class=\"grid\">");
        policy(h, "In force now (baseline)", r.baselineDirectives(), r.draftDirectives(), "not in the draft");
        policy(h, "As it would be (draft)", r.draftDirectives(), r.baselineDirectives(), "new");
        h.append("</div>\n");
    }

    private static void policy(
            StringBuilder h,
            String title,
            List<ImpactReport.PolicyDirective> directives,
            List<ImpactReport.PolicyDirective> other,
            String onlyHere) {
        h.append("<div class=\"card\"><b>").append(esc(title)).append("</b>");
        if (directives.isEmpty()) {
            h.append("<p class=\"empty\">No directive.</p></div>");
            return;
        }
        h.append("<table><tr><th>Directive</th><th>Title</th><th>Authority</th><th>Mode</th></tr>");
        for (ImpactReport.PolicyDirective d : directives) {
            boolean alone = other.stream().noneMatch(o -> o.id().equals(d.id()));
            h.append("<tr><td>")
                    .append(esc(d.id()))
                    .append(alone ? " <b>(" + onlyHere + ")</b>" : "")
                    .append("</td><td>")
                    .append(esc(d.title()))
                    .append("</td><td>")
                    .append(esc(d.authority()))
                    .append("</td><td>")
                    .append(esc(d.mode()))
                    .append("</td></tr>");
        }
        h.append("</table></div>");
    }

    private static void tile(StringBuilder h, String kind, String value, String label) {
        h.append("<div class=\"tile ")
                .append(kind)
                .append("\"><b>")
                .append(esc(value))
                .append("</b><span>")
                .append(esc(label))
                .append("</span></div>");
    }

    private static void card(StringBuilder h, String kind, String title, String svg) {
        h.append("<div class=\"")
                .append(kind)
                .append("\"><h3>")
                .append(esc(title))
                .append("</h3>")
                .append(svg)
                .append("</div>");
    }

    static String esc(String s) {
        return SvgCharts.esc(s);
    }
}
