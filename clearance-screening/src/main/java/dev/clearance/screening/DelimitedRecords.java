package dev.clearance.screening;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180-style delimited text (comma or tab), keeping the line each record starts on.
 *
 * <p>Quoted fields may hold delimiters, doubled quotes and line breaks. A quote inside an
 * unquoted field is kept as text, as the OFAC files put apostrophes there. An unterminated
 * quote is an error: a half-read file must never be imported.
 */
final class DelimitedRecords {
    /** One record with the 1-based line it starts on. */
    record Row(long line, List<String> fields) {}

    private DelimitedRecords() {}

    static List<Row> parse(String file, String text, char delimiter) throws ListImportException {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int n = text.length();
        int i = 0;
        long line = 1;
        long recordLine = 1;
        boolean fieldStarted = false;
        boolean quoted = false;
        boolean afterQuote = false;
        while (i < n) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                    afterQuote = true;
                } else {
                    if (c == '\n') line++;
                    field.append(c);
                }
                i++;
                continue;
            }
            if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                fieldStarted = true;
                afterQuote = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
                endRecord(rows, fields, field, fieldStarted, recordLine);
                fields = new ArrayList<>();
                fieldStarted = false;
                afterQuote = false;
                line++;
                recordLine = line;
            } else if (c == '"' && field.isEmpty() && !afterQuote) {
                quoted = true;
                fieldStarted = true;
            } else if (afterQuote) {
                if (c != ' ') {
                    throw new ListImportException(
                            file,
                            recordLine,
                            "unexpected character '" + c
                                    + "' after a closing quote" + (line != recordLine ? " on line " + line : "")
                                    + " (a quote inside a quoted field must be doubled)");
                }
                // OFAC writes "-0- " style padding after some fields: trailing blanks are ignored.
            } else {
                field.append(c);
                fieldStarted = true;
            }
            i++;
        }
        if (quoted) {
            throw new ListImportException(file, recordLine, "quoted field is not closed before the end of the file");
        }
        endRecord(rows, fields, field, fieldStarted, recordLine);
        return rows;
    }

    private static void endRecord(
            List<Row> rows, List<String> fields, StringBuilder field, boolean started, long line) {
        if (!started && field.isEmpty() && fields.isEmpty()) return; // blank line
        fields.add(field.toString());
        field.setLength(0);
        rows.add(new Row(line, List.copyOf(fields)));
    }
}
