package dev.clearance.simulate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses request lines for throughput, in three steps: a byte scanner for the lines generators write
 * ({@link #scan}: ASCII strings without escapes, {@code null}, arrays of strings), then Jackson's
 * streaming parser for the rest of the common, well-formed shape, each accepting only lines it is
 * certain about; anything else — a wrong type, an unknown or repeated key, a blank value, an unusual
 * timestamp, trailing content — goes to {@link Json#request}, the one definition of the request
 * format, which either accepts the line or reports the located error. So what is accepted, and every
 * error message, is exactly what {@code clearance decide} would say (property-tested for each step).
 *
 * <p>One instance per thread: it keeps a one-entry cache of the last timestamp and the scanner's place.
 */
final class RequestLines {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** The request's fields; a field's bit is {@code 1 << } its place here. */
    private static final String[] FIELDS = {"id", "principal", "model", "capabilities", "time", "country", "ip"};

    private static final int ID = 1, PRINCIPAL = 2, MODEL = 4, CAPABILITIES = 8, TIME = 16, COUNTRY = 32, IP = 64;

    private static final int MODEL_CACHE = 64;

    private final String file;
    private final Instant now;
    private final NameIndex principals;
    private final String[] principalIds;
    private String lastTimeText;
    private Instant lastTime;
    /** Distinct model names met so far (few in practice). */
    private final ValueCache models = new ValueCache();

    private int principalIndex;

    /**
     * The id every parsed request gets instead of the line's own (whose syntax is still checked), or
     * {@code null} to keep the line's. For a caller that never reads request ids (the simulator counts
     * decisions): the byte scanner makes no string for an id, and a line without one needs none.
     */
    private final String sharedId;

    RequestLines(String file, Instant now) {
        this(file, now, new NameIndex(List.of()), new String[0], null);
    }

    /**
     * A parser that resolves principal ids against {@code principals} while parsing; see
     * {@link #sharedId} for {@code sharedId}.
     */
    RequestLines(String file, Instant now, NameIndex principals, String[] principalIds, String sharedId) {
        this.file = file;
        this.now = now;
        this.principals = principals;
        this.principalIds = principalIds;
        this.sharedId = sharedId;
    }

    /** Parses {@code buf[off, off+len)} (one line, without its newline) as the request on {@code line}. */
    Request parse(byte[] buf, int off, int len, long line) throws PolicyException {
        Request r = scan(buf, off, len);
        if (r == null) {
            r = fast(buf, off, len);
        }
        if (r == null) {
            String text = new String(buf, off, len, StandardCharsets.UTF_8);
            r = Json.request(text, file, (int) Math.min(Integer.MAX_VALUE, line), () -> now);
            principalIndex = principals.get(r.principal());
        }
        return sharedId == null || r.id() == sharedId ? r : r.withId(sharedId);
    }

    /** Position in the population of the last parsed request's principal, or -1 when unknown. */
    int principalIndex() {
        return principalIndex;
    }

    // ---- the byte scanner: the commonest lines, without a JSON parser --------------------------------

    /** Where {@link #scan} is: the next byte to read. */
    private int at;

    /** The end of the line being scanned. */
    private int end;

    /** Scratch for a timestamp's characters. */
    private final char[] timeChars = new char[40];

    /**
     * The scanner's last timestamp as bytes (compared as they are: timestamps with sub-second digits
     * rarely repeat, and a miss then costs no String), its length (-1 before the first) and instant.
     */
    private final byte[] lastScannedBytes = new byte[40];

    private int lastScannedLength = -1;
    private Instant lastScanned;

    /**
     * The request on a line made only of ASCII strings without escapes, {@code null} and arrays of such
     * strings — what generators write — read straight from the bytes; {@code null} for anything else
     * (an escape, a non-ASCII byte, a number or boolean, an unknown or repeated key, malformed JSON),
     * which {@link #fast} and then {@link Json#request} judge. Whitespace is JSON's (space, tab, CR, LF).
     */
    Request scan(byte[] b, int off, int len) {
        at = off;
        end = off + len;
        if (!skip(b) || b[at++] != '{') {
            return null;
        }
        int seen = 0;
        String id = null, principal = null, model = null, country = "", ip = null;
        List<String> caps = List.of();
        Instant time = null;
        if (!skip(b)) {
            return null;
        }
        if (b[at] == '}') {
            return null; // no principal, no model: the validating parser reports it
        }
        while (true) {
            int kFrom = string(b);
            if (kFrom < 0) {
                return null;
            }
            int kLen = at - 1 - kFrom;
            int field = fieldOf(b, kFrom, kLen);
            if (field == 0 || (seen & field) != 0 || !skip(b) || b[at++] != ':' || !skip(b)) {
                return null;
            }
            seen |= field;
            boolean isNull = literalNull(b);
            if (field == CAPABILITIES) {
                if (isNull) {
                    caps = List.of();
                } else {
                    caps = strings(b);
                    if (caps == null) {
                        return null;
                    }
                }
            } else if (isNull) {
                switch (field) {
                    case ID -> id = null;
                    case COUNTRY -> country = "";
                    case IP -> ip = null;
                    default -> {
                        return null; // principal, model and time must be strings
                    }
                }
            } else {
                int from = string(b);
                if (from < 0) {
                    return null;
                }
                int n = at - 1 - from;
                switch (field) {
                    case ID -> id = sharedId != null ? null : ascii(b, from, n); // see sharedId
                    case PRINCIPAL -> {
                        int i = principals.get(b, from, n);
                        principalIndex = i;
                        // Known ids are non-blank (the principals file requires it), and their canonical String
                        // is not touched here: it is a cache miss per request.
                        principal = i >= 0 ? principalIds[i] : ascii(b, from, n);
                        if (i < 0 && principal.isBlank()) {
                            return null;
                        }
                    }
                    case MODEL -> {
                        model = cached(b, from, n, models);
                        if (model.isBlank()) {
                            return null;
                        }
                    }
                    case TIME -> {
                        if (n == lastScannedLength
                                && java.util.Arrays.equals(b, from, from + n, lastScannedBytes, 0, n)) {
                            time = lastScanned;
                        } else {
                            if (n > timeChars.length) {
                                return null;
                            }
                            for (int k = 0; k < n; k++) {
                                timeChars[k] = (char) b[from + k];
                            }
                            time = time(timeChars, 0, n);
                            if (time == null) {
                                return null;
                            }
                            System.arraycopy(b, from, lastScannedBytes, 0, n);
                            lastScannedLength = n;
                            lastScanned = time;
                        }
                    }
                    case COUNTRY -> {
                        if (n == 2 && upper((char) b[from]) && upper((char) b[from + 1])) {
                            country = cached(b, from, n, countries);
                        } else if (n == 0) {
                            country = "";
                        } else {
                            return null;
                        }
                    }
                    case IP -> ip = ascii(b, from, n);
                    default -> {
                        return null;
                    }
                }
            }
            if (!skip(b)) {
                return null;
            }
            byte c = b[at++];
            if (c == '}') {
                break;
            }
            if (c != ',' || !skip(b)) {
                return null;
            }
        }
        // Only whitespace may follow the object.
        if (skip(b) || principal == null || model == null) {
            return null;
        }
        return new Request(
                sharedId != null ? sharedId : id, principal, model, caps, time == null ? now : time, country, ip, "");
    }

    /** Skips JSON whitespace; whether a byte remains. */
    private boolean skip(byte[] b) {
        while (at < end) {
            byte c = b[at];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return true;
            }
            at++;
        }
        return false;
    }

    /**
     * A string of printable ASCII without escapes starting at {@code at}: the offset of its first
     * character, with {@code at} after the closing quote; -1 for anything else.
     */
    private int string(byte[] b) {
        if (at >= end || b[at] != '"') {
            return -1;
        }
        int from = ++at;
        while (at < end) {
            byte c = b[at++];
            if (c == '"') {
                return from;
            }
            // Control characters are invalid in JSON strings, escapes and non-ASCII need the parser.
            if (c < 0x20 || c == '\\' || c == 0x7f) {
                return -1;
            }
        }
        return -1;
    }

    /** Consumes a {@code null} literal if one is at {@code at}. */
    private boolean literalNull(byte[] b) {
        if (at + 4 <= end && b[at] == 'n' && b[at + 1] == 'u' && b[at + 2] == 'l' && b[at + 3] == 'l') {
            at += 4;
            return true;
        }
        return false;
    }

    /** An array of non-blank strings, or {@code null}. */
    private List<String> strings(byte[] b) {
        if (at >= end || b[at++] != '[' || !skip(b)) {
            return null;
        }
        List<String> l = new ArrayList<>(2);
        if (b[at] == ']') {
            at++;
            return l;
        }
        while (true) {
            int from = string(b);
            if (from < 0) {
                return null;
            }
            String v = ascii(b, from, at - 1 - from);
            if (v.isBlank()) {
                return null;
            }
            l.add(v);
            if (!skip(b)) {
                return null;
            }
            byte c = b[at++];
            if (c == ']') {
                return l;
            }
            if (c != ',' || !skip(b)) {
                return null;
            }
        }
    }

    private static String ascii(byte[] b, int from, int n) {
        return new String(b, from, n, StandardCharsets.ISO_8859_1);
    }

    private static String cached(byte[] b, int from, int n, ValueCache cache) {
        for (int m = 0; m < cache.count; m++) {
            String s = cache.values[m];
            if (NameIndex.same(s, b, from, n)) {
                return s;
            }
        }
        String s = ascii(b, from, n);
        if (cache.count < cache.values.length) {
            cache.values[cache.count++] = s;
        }
        return s;
    }

    private static final byte[][] FIELD_NAMES = java.util.Arrays.stream(FIELDS)
            .map(f -> f.getBytes(StandardCharsets.US_ASCII))
            .toArray(byte[][]::new);

    private static int fieldOf(byte[] b, int from, int n) {
        for (int f = 0; f < FIELD_NAMES.length; f++) {
            byte[] name = FIELD_NAMES[f];
            if (name.length == n && java.util.Arrays.equals(name, 0, n, b, from, from + n)) {
                return 1 << f;
            }
        }
        return 0;
    }

    /** The request, or {@code null} when the line needs the full validating parser. */
    private Request fast(byte[] buf, int off, int len) {
        try (JsonParser p = FACTORY.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int seen = 0;
            String id = null, principal = null, model = null, country = "", ip = null;
            List<String> caps = List.of();
            Instant time = null;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                if (t != JsonToken.FIELD_NAME) {
                    return null;
                }
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int bit;
                // Not a String switch: that hashes the name, and names from a fresh parser per line carry no cached
                // hash.
                switch (fieldOf(name)) {
                    case ID -> {
                        bit = ID;
                        if (v == JsonToken.VALUE_NULL) {
                            id = null;
                        } else if (v != JsonToken.VALUE_STRING) {
                            return null;
                        } else {
                            id = p.getText();
                        }
                    }
                    case PRINCIPAL -> {
                        bit = PRINCIPAL;
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        int i = principals.get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                        principalIndex = i;
                        // Known ids are non-blank (the principals file requires it); reuse the canonical String.
                        principal = i >= 0 ? principalIds[i] : nonBlank(p, v);
                        if (principal == null) {
                            return null;
                        }
                    }
                    case MODEL -> {
                        bit = MODEL;
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        model = cached(p, models);
                        if (model == null || model.isBlank()) {
                            return null;
                        }
                    }
                    case CAPABILITIES -> {
                        bit = CAPABILITIES;
                        if (v == JsonToken.VALUE_NULL) {
                            caps = List.of();
                        } else if (v != JsonToken.START_ARRAY) {
                            return null;
                        } else {
                            List<String> l = new ArrayList<>(2);
                            while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                                String c = nonBlank(p, v);
                                if (c == null) {
                                    return null;
                                }
                                l.add(c);
                            }
                            caps = l;
                        }
                    }
                    case TIME -> {
                        bit = TIME;
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        char[] tc = p.getTextCharacters();
                        int toff = p.getTextOffset();
                        int tlen = p.getTextLength();
                        // Traffic comes roughly in time order: most lines repeat the previous timestamp.
                        if (lastTimeText != null && NameIndex.same(lastTimeText, tc, toff, tlen)) {
                            time = lastTime;
                        } else {
                            time = time(tc, toff, tlen);
                            if (time != null) {
                                lastTimeText = new String(tc, toff, tlen);
                                lastTime = time;
                            }
                        }
                        if (time == null) {
                            return null;
                        }
                    }
                    case COUNTRY -> {
                        bit = COUNTRY;
                        if (v == JsonToken.VALUE_NULL) {
                            country = "";
                        } else if (v != JsonToken.VALUE_STRING) {
                            return null;
                        } else {
                            String c = cached(p, countries);
                            if (c == null
                                    || !(c.isEmpty()
                                            || (c.length() == 2 && upper(c.charAt(0)) && upper(c.charAt(1))))) {
                                return null;
                            }
                            country = c;
                        }
                    }
                    case IP -> {
                        bit = IP;
                        if (v == JsonToken.VALUE_NULL) {
                            ip = null;
                        } else if (v != JsonToken.VALUE_STRING) {
                            return null;
                        } else {
                            ip = p.getText();
                        }
                    }
                    default -> {
                        return null;
                    }
                }
                if ((seen & bit) != 0) {
                    return null;
                }
                seen |= bit;
            }
            if (p.nextToken() != null || principal == null || model == null) {
                return null;
            }
            return new Request(id, principal, model, caps, time == null ? now : time, country, ip, "");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A few distinct values met so far, reused so no String is made per request. */
    private static final class ValueCache {
        final String[] values = new String[MODEL_CACHE];
        int count;
    }

    private final ValueCache countries = new ValueCache();

    /** The current string value, reusing an earlier instance of the same text (the cache holds the first few distinct ones). */
    private static String cached(JsonParser p, ValueCache cache) throws IOException {
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        for (int m = 0; m < cache.count; m++) {
            String s = cache.values[m];
            if (NameIndex.same(s, c, off, len)) {
                return s;
            }
        }
        String s = new String(c, off, len);
        if (cache.count < cache.values.length) {
            cache.values[cache.count++] = s;
        }
        return s;
    }

    private static int fieldOf(String name) {
        for (int f = 0; f < FIELDS.length; f++) {
            if (FIELDS[f].equals(name)) {
                return 1 << f;
            }
        }
        return 0;
    }

    private static String nonBlank(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            return null;
        }
        String s = p.getText();
        return s.isBlank() ? null : s;
    }

    private static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    /**
     * An RFC 3339 timestamp in the forms generators write — {@code YYYY-MM-DDTHH:MM:SS}, an optional
     * fraction of one to nine digits, then {@code Z} or a {@code ±HH:MM} offset — computed directly, exactly
     * as {@link java.time.OffsetDateTime#parse} reads it; {@code null} for anything else (lower-case
     * letters, no seconds, an hour-only offset, invalid dates), which the full parser then judges.
     */
    static Instant time(char[] c, int off, int len) {
        if (len < 20
                || c[off + 4] != '-'
                || c[off + 7] != '-'
                || c[off + 10] != 'T'
                || c[off + 13] != ':'
                || c[off + 16] != ':') {
            return null;
        }
        int year = digits(c, off, 4), month = digits(c, off + 5, 2), day = digits(c, off + 8, 2);
        int hour = digits(c, off + 11, 2), minute = digits(c, off + 14, 2), second = digits(c, off + 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > lengthOfMonth(year, month)
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int i = off + 19, end = off + len;
        int nanos = 0;
        if (c[i] == '.') {
            int from = ++i;
            while (i < end && c[i] >= '0' && c[i] <= '9') {
                nanos = nanos * 10 + (c[i] - '0');
                i++;
            }
            int n = i - from;
            if (n < 1 || n > 9) {
                return null;
            }
            for (; n < 9; n++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == end - 1 && c[i] == 'Z') {
            offsetSeconds = 0;
        } else if (i == end - 6 && (c[i] == '+' || c[i] == '-') && c[i + 3] == ':') {
            int oh = digits(c, i + 1, 2), om = digits(c, i + 4, 2);
            // ±18:00 is the largest offset java.time accepts; anything at or near it goes to the full parser.
            if (oh < 0 || oh > 17 || om < 0 || om > 59) {
                return null;
            }
            offsetSeconds = (c[i] == '-' ? -1 : 1) * (oh * 3_600 + om * 60);
        } else {
            return null;
        }
        long epochSecond = daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        return Instant.ofEpochSecond(epochSecond - offsetSeconds, nanos);
    }

    private static int digits(char[] c, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char d = c[i];
            if (d < '0' || d > '9') {
                return -1;
            }
            v = v * 10 + (d - '0');
        }
        return v;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
    private static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
