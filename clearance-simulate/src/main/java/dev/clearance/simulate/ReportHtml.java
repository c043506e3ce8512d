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
 * for newly allowed, greys for what stays as it was.
 */
public final class ReportHtml {
    private static final int TOP_ROWS = 15;
    private static final String[] CLASS_COLOURS = {"#d4dae3", "#6b7686", "#d62f2f", "#2f6fd6"};
    private static final String[] CLASS_NAMES = {
        "allowed under both", "denied under both", "newly denied", "newly allowed"
    };
    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ReportHtml() {}

    /** A row of a four-class stacked bar: allowed under both, denied under both, newly denied, newly allowed. */
    private record Row(String label, long[] classes) {
        long total() {
            return classes[0] + classes[1] + classes[2] + classes[3];
        }
    }

    private static Row row(String label, ImpactReport.Counts c) {
        return new Row(
                label, new long[] {c.allowedUnderBoth(), c.deniedUnderBoth(), c.newlyDenied(), c.newlyAllowed()});
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
                .append(
                        ".legend{font-size:12px;color:#3a4352;margin:4px 0 8px}.legend i{display:inline-block;width:11px;height:11px;margin:0 4px 0 12px;vertical-align:-1px;border-radius:2px}")
                .append(
                        "table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e6e8ec}th{color:#5b6577;font-weight:600}")
                .append(
                        "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}svg text{font-size:12px;fill:#2b3240}")
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

        h.append("<h2>Traffic</h2>");
        legend(h);
        h.append("<div class=\"grid\">");
        List<Row> models = new ArrayList<>();
        for (Map.Entry<String, ImpactReport.Counts> e : ReportJson.byImpact(t.byModel())) {
            models.add(row(e.getKey(), e.getValue()));
        }
        card(h, "Requests by model", stackedBars("requests-by-model", models));
        List<Row> countries = new ArrayList<>();
        for (Map.Entry<String, ImpactReport.Counts> e : ReportJson.byImpact(t.byCountry())) {
            countries.add(row(e.getKey(), e.getValue()));
        }
        card(h, "Requests by client country", stackedBars("requests-by-country", countries));
        h.append("</div>");
        card(h, "Requests over time (UTC)", columns("requests-over-time", t.overTime()));

        h.append("<h2>Principals</h2>");
        legend(h);
        h.append("<div class=\"grid\">");
        List<Row> access = new ArrayList<>();
        for (Map.Entry<String, ImpactReport.ModelAccess> e : new java.util.TreeMap<>(p.byModel()).entrySet()) {
            ImpactReport.ModelAccess a = e.getValue();
            access.add(new Row(e.getKey(), new long[] {
                a.allowedBaseline() - a.losing(), p.total() - a.allowedBaseline() - a.gaining(), a.losing(), a.gaining()
            }));
        }
        access.sort((x, y) -> Long.compare(y.classes[2], x.classes[2]));
        card(h, "Principals' access by model", stackedBars("principals-by-model", access));
        card(h, "Principals losing access, by citizenship", simpleBars("losing-by-citizenship", p.byCitizenship()));
        card(h, "Principals losing access, by organisation", simpleBars("losing-by-organization", p.byOrganization()));
        card(
                h,
                "Principals losing access, by country of residence",
                simpleBars("losing-by-residence", p.byResidence()));
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

    private static void legend(StringBuilder h) {
        h.append("<div class=\"legend\">");
        for (int i = 0; i < 4; i++) {
            h.append("<i style=\"background:")
                    .append(CLASS_COLOURS[i])
                    .append("\"></i>")
                    .append(CLASS_NAMES[i]);
        }
        h.append("</div>");
    }

    private static void card(StringBuilder h, String title, String svg) {
        h.append("<div class=\"card\"><h3 style=\"font-size:15px;margin:4px 0 8px\">")
                .append(esc(title))
                .append("</h3>")
                .append(svg)
                .append("</div>");
    }

    /** Horizontal bars, one per row, split into the four classes; the top rows, the rest summed as "others". */
    private static String stackedBars(String id, List<Row> all) {
        return stackedBars(id, all, true);
    }

    private static String stackedBars(String id, List<Row> all, boolean noteLosses) {
        if (all.isEmpty()) {
            return "<p class=\"empty\">No data.</p>";
        }
        List<Row> rows = new ArrayList<>(all.subList(0, Math.min(TOP_ROWS, all.size())));
        if (all.size() > TOP_ROWS) {
            long[] rest = new long[4];
            for (Row r : all.subList(TOP_ROWS, all.size())) {
                for (int i = 0; i < 4; i++) {
                    rest[i] += r.classes[i];
                }
            }
            rows.add(new Row((all.size() - TOP_ROWS) + " others", rest));
        }
        long max = 1;
        for (Row r : rows) {
            max = Math.max(max, r.total());
        }
        int labelW = 150, barW = 260, rowH = 24, width = labelW + barW + 110;
        int height = rows.size() * rowH + 8;
        StringBuilder s = svgOpen(id, width, height);
        int y = 4;
        for (Row r : rows) {
            s.append("<text x=\"")
                    .append(labelW - 6)
                    .append("\" y=\"")
                    .append(y + 15)
                    .append("\" text-anchor=\"end\">")
                    .append(esc(clip(r.label(), 22)))
                    .append("</text>");
            double x = labelW;
            for (int i = 0; i < 4; i++) {
                if (r.classes[i] == 0) {
                    continue;
                }
                double w = Math.max(1.0, (double) barW * r.classes[i] / max);
                s.append("<rect x=\"")
                        .append(fmt(x))
                        .append("\" y=\"")
                        .append(y + 3)
                        .append("\" width=\"")
                        .append(fmt(w))
                        .append("\" height=\"")
                        .append(rowH - 7)
                        .append("\" fill=\"")
                        .append(CLASS_COLOURS[i])
                        .append("\"><title>")
                        .append(esc(r.label()))
                        .append(": ")
                        .append(String.format("%,d", r.classes[i]))
                        .append(' ')
                        .append(CLASS_NAMES[i])
                        .append("</title></rect>");
                x += w;
            }
            String note = String.format("%,d", r.total())
                    + (noteLosses && r.classes[2] > 0 ? String.format(" (−%,d)", r.classes[2]) : "");
            s.append("<text x=\"")
                    .append(fmt(x + 6))
                    .append("\" y=\"")
                    .append(y + 15)
                    .append("\">")
                    .append(esc(note))
                    .append("</text>");
            y += rowH;
        }
        return s.append("</svg>").toString();
    }

    /** One red bar per key (the top rows): counts of principals losing access. */
    private static String simpleBars(String id, Map<String, Long> m) {
        if (m.isEmpty()) {
            return "<p class=\"empty\">Nobody loses access.</p>";
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Long> e : ReportJson.byCount(m)) {
            rows.add(new Row(e.getKey(), new long[] {0, 0, e.getValue(), 0}));
        }
        return stackedBars(id, rows, false);
    }

    /** Stacked columns over time buckets, with a handful of axis labels. */
    private static String columns(String id, List<ImpactReport.TimeBucket> buckets) {
        if (buckets.isEmpty()) {
            return "<p class=\"empty\">No traffic.</p>";
        }
        long peak = 1;
        for (ImpactReport.TimeBucket b : buckets) {
            peak = Math.max(peak, b.counts().total());
        }
        long step = niceStep(peak);
        long max = ((peak + step - 1) / step) * step;
        int left = 64, plotW = 960, plotH = 220, top = 10, bottom = 40;
        int width = left + plotW + 10, height = top + plotH + bottom;
        double colW = (double) plotW / buckets.size();
        StringBuilder s = svgOpen(id, width, height);
        for (long v = 0; v <= max; v += step) {
            double y = top + plotH - (double) plotH * v / max;
            s.append("<line x1=\"")
                    .append(left)
                    .append("\" x2=\"")
                    .append(left + plotW)
                    .append("\" y1=\"")
                    .append(fmt(y))
                    .append("\" y2=\"")
                    .append(fmt(y))
                    .append("\" stroke=\"#e6e8ec\"/>");
            s.append("<text x=\"")
                    .append(left - 6)
                    .append("\" y=\"")
                    .append(fmt(y + 4))
                    .append("\" text-anchor=\"end\">")
                    .append(String.format("%,d", v))
                    .append("</text>");
        }
        boolean hourly = buckets.get(0).width().toHours() < 24;
        int labelEvery = Math.max(1, (int) Math.ceil(buckets.size() / 8.0));
        for (int b = 0; b < buckets.size(); b++) {
            ImpactReport.TimeBucket tb = buckets.get(b);
            Row r = row("", tb.counts());
            double x = left + b * colW;
            double y = top + plotH;
            for (int i = 0; i < 4; i++) {
                if (r.classes[i] == 0) {
                    continue;
                }
                double hgt = (double) plotH * r.classes[i] / max;
                y -= hgt;
                s.append("<rect x=\"")
                        .append(fmt(x + colW * 0.1))
                        .append("\" y=\"")
                        .append(fmt(y))
                        .append("\" width=\"")
                        .append(fmt(Math.max(1, colW * 0.8)))
                        .append("\" height=\"")
                        .append(fmt(hgt))
                        .append("\" fill=\"")
                        .append(CLASS_COLOURS[i])
                        .append("\"><title>")
                        .append(esc((hourly ? HOUR : DAY).format(tb.start())))
                        .append(": ")
                        .append(String.format("%,d", r.classes[i]))
                        .append(' ')
                        .append(CLASS_NAMES[i])
                        .append("</title></rect>");
            }
            if (b % labelEvery == 0) {
                s.append("<text x=\"")
                        .append(fmt(x + colW / 2))
                        .append("\" y=\"")
                        .append(top + plotH + 18)
                        .append("\" text-anchor=\"middle\">")
                        .append(esc((hourly ? HOUR : DAY).format(tb.start())))
                        .append("</text>");
            }
        }
        return s.append("</svg>").toString();
    }

    /** A gridline step of 1, 2 or 5 times a power of ten giving at most five lines up to {@code peak}. */
    static long niceStep(long peak) {
        long step = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (peak <= step * m * 5) {
                    return step * m;
                }
            }
            step *= 10;
        }
    }

    private static StringBuilder svgOpen(String id, int width, int height) {
        return new StringBuilder()
                .append("<svg id=\"")
                .append(id)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" width=\"100%\" style=\"max-width:")
                .append(width)
                .append("px\" role=\"img\">");
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
