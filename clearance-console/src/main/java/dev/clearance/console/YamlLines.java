package dev.clearance.console;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directive's YAML, cut into numbered lines of classed pieces for highlighting on the server (the
 * page runs no highlighter): comments, keys, quoted strings, numbers and booleans, list dashes. It
 * only colours text: every character of the document is kept, in order.
 */
final class YamlLines {
    private static final Pattern KEY = Pattern.compile("^(\\s*(?:-\\s+)?)([A-Za-z_][A-Za-z0-9_-]*)(:)(?=\\s|$)");
    private static final Pattern TOKEN = Pattern.compile(
            "(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^']|'')*')|(#.*$)|(\\b(?:true|false|null)\\b|(?<![\\w:.-])-?\\d+(?:\\.\\d+)?(?![\\w:.-]))");

    private YamlLines() {}

    /** A piece of a line: its class ({@code key}, {@code str}, {@code num}, {@code com}, or empty) and text. */
    record Piece(String kind, String text) {}

    record Line(int number, List<Piece> pieces) {}

    static List<Line> of(String text) {
        List<Line> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int n = lines.length;
        if (n > 1 && lines[n - 1].isEmpty()) {
            n--; // a final newline is not a line of its own
        }
        for (int i = 0; i < n; i++) {
            out.add(new Line(i + 1, pieces(lines[i])));
        }
        return out;
    }

    private static List<Piece> pieces(String line) {
        List<Piece> out = new ArrayList<>();
        String rest = line;
        Matcher k = KEY.matcher(line);
        if (k.find()) {
            out.add(new Piece("", k.group(1)));
            out.add(new Piece("key", k.group(2)));
            out.add(new Piece("", k.group(3)));
            rest = line.substring(k.end());
        }
        Matcher t = TOKEN.matcher(rest);
        int at = 0;
        while (t.find()) {
            if (t.start() > at) {
                out.add(new Piece("", rest.substring(at, t.start())));
            }
            String kind = t.group(1) != null ? "str" : t.group(2) != null ? "com" : "num";
            out.add(new Piece(kind, t.group()));
            at = t.end();
        }
        if (at < rest.length()) {
            out.add(new Piece("", rest.substring(at)));
        }
        return out;
    }
}
