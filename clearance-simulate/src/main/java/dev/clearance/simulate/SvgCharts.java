package dev.clearance.simulate;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Charts as inline SVG, for pages that fetch nothing: horizontal stacked bars and stacked columns
 * over time. Each bar is split into classes, each drawn in its colour with a tooltip naming it. No
 * {@code style} attribute is written (colours are presentation attributes), so the charts render
 * under a Content-Security-Policy without {@code unsafe-inline}. Used by {@link ReportHtml} and the
 * console.
 *
 * @param colours one fill colour per class
 * @param names   one name per class, for tooltips and the legend
 */
public record SvgCharts(List<String> colours, List<String> names) {
    private static final int TOP_ROWS = 15;

    public SvgCharts {
        colours = List.copyOf(colours);
        names = List.copyOf(names);
        if (colours.size() != names.size()) {
            throw new IllegalArgumentException("one colour per class name");
        }
    }

    /** A labelled bar, one count per class. */
    public record Row(String label, long[] classes) {
        public long total() {
            long t = 0;
            for (long c : classes) {
                t += c;
            }
            return t;
        }
    }

    /** A column of the time chart, labelled by its start. */
    public record Column(java.time.Instant start, long[] classes) {}

    /** One coloured square and the class name per class. */
    public String legend() {
        StringBuilder h = new StringBuilder("<div class=\"legend\">");
        for (int i = 0; i < colours.size(); i++) {
            h.append(
                            "<svg width=\"11\" height=\"11\" aria-hidden=\"true\"><rect width=\"11\" height=\"11\" rx=\"2\" fill=\"")
                    .append(colours.get(i))
                    .append("\"/></svg> ")
                    .append(esc(names.get(i)))
                    .append(' ');
        }
        return h.append("</div>").toString();
    }

    /**
     * Horizontal bars, one per row, split into the classes; the top rows, the rest summed as "others".
     *
     * @param noteClass the class whose count is noted after the total as {@code (−n)}, or -1 for none
     */
    public String stackedBars(String id, String title, List<Row> all, int noteClass) {
        if (all.isEmpty()) {
            return "<p class=\"empty\">No data.</p>";
        }
        int k = colours.size();
        List<Row> rows = new ArrayList<>(all.subList(0, Math.min(TOP_ROWS, all.size())));
        if (all.size() > TOP_ROWS) {
            long[] rest = new long[k];
            for (Row r : all.subList(TOP_ROWS, all.size())) {
                for (int i = 0; i < k; i++) {
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
        StringBuilder s = svgOpen(id, title, width, height);
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
            for (int i = 0; i < k; i++) {
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
                        .append(colours.get(i))
                        .append("\"><title>")
                        .append(esc(r.label()))
                        .append(": ")
                        .append(String.format("%,d", r.classes[i]))
                        .append(' ')
                        .append(esc(names.get(i)))
                        .append("</title></rect>");
                x += w;
            }
            String note = String.format("%,d", r.total())
                    + (noteClass >= 0 && r.classes[noteClass] > 0
                            ? String.format(" (−%,d)", r.classes[noteClass])
                            : "");
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

    /** Stacked columns over time buckets, with a handful of axis labels in {@code format}. */
    public String columns(String id, String title, List<Column> buckets, DateTimeFormatter format) {
        if (buckets.isEmpty()) {
            return "<p class=\"empty\">No traffic.</p>";
        }
        int k = colours.size();
        long peak = 1;
        for (Column b : buckets) {
            peak = Math.max(peak, new Row("", b.classes()).total());
        }
        long step = niceStep(peak);
        long max = ((peak + step - 1) / step) * step;
        int left = 64, plotW = 960, plotH = 220, top = 10, bottom = 40;
        int width = left + plotW + 10, height = top + plotH + bottom;
        double colW = (double) plotW / buckets.size();
        StringBuilder s = svgOpen(id, title, width, height);
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
        int labelEvery = Math.max(1, (int) Math.ceil(buckets.size() / 8.0));
        for (int b = 0; b < buckets.size(); b++) {
            Column c = buckets.get(b);
            double x = left + b * colW;
            double y = top + plotH;
            for (int i = 0; i < k; i++) {
                if (c.classes()[i] == 0) {
                    continue;
                }
                double hgt = (double) plotH * c.classes()[i] / max;
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
                        .append(colours.get(i))
                        .append("\"><title>")
                        .append(esc(format.format(c.start())))
                        .append(": ")
                        .append(String.format("%,d", c.classes()[i]))
                        .append(' ')
                        .append(esc(names.get(i)))
                        .append("</title></rect>");
            }
            if (b % labelEvery == 0) {
                s.append("<text x=\"")
                        .append(fmt(x + colW / 2))
                        .append("\" y=\"")
                        .append(top + plotH + 18)
                        .append("\" text-anchor=\"middle\">")
                        .append(esc(format.format(c.start())))
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

    /** Natural size in pixels (a page's CSS may shrink it: {@code svg{max-width:100%;height:auto}}); titled for screen readers. */
    private static StringBuilder svgOpen(String id, String title, int width, int height) {
        return new StringBuilder()
                .append("<svg id=\"")
                .append(id)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" role=\"img\" aria-label=\"")
                .append(esc(title))
                .append("\">");
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /** Text for HTML and SVG: {@code < > & " '} escaped. */
    public static String esc(String s) {
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
