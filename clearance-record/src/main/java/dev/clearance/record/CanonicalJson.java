package dev.clearance.record;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Writes one-line JSON with fields in the order the caller writes them and no whitespace, so the
 * same entry always has the same bytes. Every gateway call writes one entry, so this writes straight
 * into one character buffer instead of through a Jackson generator (which cost about a third of the
 * entry's time); the text is exactly what Jackson's default generator writes, escapes included
 * ({@code CanonicalJsonTest} compares the two): {@code "} and {@code \} and the control characters
 * are escaped ({@code \b \t \n \f \r} short, the others {@code \}{@code u00XX} in upper case), everything
 * else, non-ASCII included, is written as it is (UTF-8 once the line is encoded).
 */
final class CanonicalJson {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final StringBuilder out = new StringBuilder(1024);
    // Whether the next value opens its container (no comma before it). Closing a container always
    // leaves its parent holding a value, so no stack of these is needed.
    private boolean first = true;

    /** {@code values} as a canonical JSON array. */
    static String array(List<String> values) {
        CanonicalJson j = new CanonicalJson();
        j.element('[');
        j.values(values);
        return j.close(']').toString();
    }

    /** {@code values} as a canonical JSON object, in key order. */
    static String object(SortedMap<String, String> values) {
        CanonicalJson j = new CanonicalJson().begin();
        values.forEach(j::string);
        return j.end().toString();
    }

    CanonicalJson begin() {
        return element('{');
    }

    CanonicalJson end() {
        return close('}');
    }

    CanonicalJson string(String field, String value) {
        name(field);
        text(value);
        return this;
    }

    /**
     * An instant as {@link Instant#toString()} writes it (ISO-8601 in UTC, the fraction in groups of
     * three digits, as many as it needs), without building the string: every decision writes one.
     * Years before 1970 or after 9999 go through {@code toString()}.
     */
    CanonicalJson instant(String field, Instant value) {
        long seconds = value.getEpochSecond();
        if (seconds < 0 || seconds > LAST_FOUR_DIGIT_SECOND) {
            return string(field, value.toString());
        }
        name(field);
        long day = seconds / 86_400;
        int secondOfDay = (int) (seconds - day * 86_400);
        LocalDate date = LocalDate.ofEpochDay(day);
        StringBuilder o = out.append('"');
        digits(date.getYear(), 4).append('-');
        digits(date.getMonthValue(), 2).append('-');
        digits(date.getDayOfMonth(), 2).append('T');
        digits(secondOfDay / 3600, 2).append(':');
        digits(secondOfDay / 60 % 60, 2).append(':');
        digits(secondOfDay % 60, 2);
        int nano = value.getNano();
        if (nano != 0) {
            o.append('.');
            if (nano % 1_000_000 == 0) {
                digits(nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                digits(nano / 1000, 6);
            } else {
                digits(nano, 9);
            }
        }
        o.append('Z').append('"');
        return this;
    }

    /** 9999-12-31T23:59:59Z: the last instant {@link #instant} writes itself. */
    private static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /** {@code value} (non-negative, below 10^width) in exactly {@code width} digits, zeros in front. */
    private StringBuilder digits(int value, int width) {
        for (int d = width - 1; d >= 0; d--) {
            out.append((char) ('0' + value / POWERS_OF_TEN[d] % 10));
        }
        return out;
    }

    /**
     * A field whose value is JSON this class wrote before ({@link #toString()} of a finished
     * object or array), copied as it is: a value written once and kept, such as a principal's facts.
     */
    CanonicalJson raw(String field, String json) {
        name(field);
        out.append(json);
        first = false;
        return this;
    }

    CanonicalJson number(String field, long value) {
        name(field);
        out.append(value);
        return this;
    }

    /** A decimal number, as Jackson writes a double (the shortest text that reads back the same value). */
    CanonicalJson decimal(String field, double value) {
        name(field);
        if (Double.isFinite(value)) {
            out.append(Double.toString(value));
        } else {
            text(Double.toString(value)); // Jackson quotes NaN and the infinities
        }
        return this;
    }

    /** Starts an array of objects; each {@link #item()} starts one, {@link #end()} ends it. */
    CanonicalJson array(String field) {
        name(field);
        return open('[');
    }

    CanonicalJson item() {
        return element('{');
    }

    CanonicalJson endArray() {
        return close(']');
    }

    CanonicalJson bool(String field, boolean value) {
        name(field);
        out.append(value);
        return this;
    }

    CanonicalJson nullField(String field) {
        name(field);
        out.append("null");
        return this;
    }

    CanonicalJson strings(String field, List<String> values) {
        name(field);
        open('[');
        values(values);
        return close(']');
    }

    CanonicalJson object(String field) {
        name(field);
        return open('{');
    }

    /** Writes the fields of {@code values} in their iteration order into the object being written. */
    CanonicalJson strings(Map<String, String> values) {
        values.forEach(this::string);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void values(List<String> values) {
        for (String v : values) {
            comma();
            text(v);
        }
    }

    /** Opens a container that is an array's element (or the outermost value). */
    private CanonicalJson element(char bracket) {
        comma();
        return open(bracket);
    }

    /** Opens a container right after its field's name. */
    private CanonicalJson open(char bracket) {
        out.append(bracket);
        first = true;
        return this;
    }

    private CanonicalJson close(char bracket) {
        out.append(bracket);
        first = false;
        return this;
    }

    private void comma() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    private void name(String field) {
        comma();
        quoted(field);
        out.append(':');
    }

    /** A string value; a null one is JSON {@code null}, as Jackson writes it. */
    private void text(String value) {
        if (value == null) {
            out.append("null");
        } else {
            quoted(value);
        }
    }

    private void quoted(String s) {
        StringBuilder o = out;
        o.append('"');
        int n = s.length();
        int i = 0;
        while (i < n && plain(s.charAt(i))) {
            i++;
        }
        if (i == n) { // the common case: nothing to escape, copied whole
            o.append(s).append('"');
            return;
        }
        int from = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (!plain(c)) {
                o.append(s, from, i);
                escape(c);
                from = i + 1;
            }
        }
        o.append(s, from, n).append('"');
    }

    private static boolean plain(char c) {
        return c >= 0x20 && c != '"' && c != '\\';
    }

    private void escape(char c) {
        StringBuilder o = out.append('\\');
        switch (c) {
            case '"', '\\' -> o.append(c);
            case '\b' -> o.append('b');
            case '\t' -> o.append('t');
            case '\n' -> o.append('n');
            case '\f' -> o.append('f');
            case '\r' -> o.append('r');
            default -> o.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
        }
    }
}
