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
 * Parses request lines with Jackson's streaming parser, for throughput. It accepts only lines it is
 * certain about (the common, well-formed shape); anything else — a wrong type, an unknown or repeated
 * key, a blank value, an unusual timestamp, trailing content — goes to {@link Json#request}, the one
 * definition of the request format, which either accepts the line or reports the located error. So
 * what is accepted, and every error message, is exactly what {@code clearance decide} would say.
 *
 * <p>One instance per thread: it keeps a one-entry cache of the last timestamp.
 */
final class RequestLines {
    private static final JsonFactory FACTORY = new JsonFactory();
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

    RequestLines(String file, Instant now) {
        this(file, now, new NameIndex(List.of()), new String[0]);
    }

    /** A parser that resolves principal ids against {@code principals} while parsing. */
    RequestLines(String file, Instant now, NameIndex principals, String[] principalIds) {
        this.file = file;
        this.now = now;
        this.principals = principals;
        this.principalIds = principalIds;
    }

    /** Parses {@code buf[off, off+len)} (one line, without its newline) as the request on {@code line}. */
    Request parse(byte[] buf, int off, int len, long line) throws PolicyException {
        Request r = fast(buf, off, len);
        if (r != null) {
            return r;
        }
        String text = new String(buf, off, len, StandardCharsets.UTF_8);
        r = Json.request(text, file, (int) Math.min(Integer.MAX_VALUE, line), () -> now);
        principalIndex = principals.get(r.principal());
        return r;
    }

    /** Position in the population of the last parsed request's principal, or -1 when unknown. */
    int principalIndex() {
        return principalIndex;
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
        if (name.equals("principal")) {
            return PRINCIPAL;
        } else if (name.equals("model")) {
            return MODEL;
        } else if (name.equals("time")) {
            return TIME;
        } else if (name.equals("id")) {
            return ID;
        } else if (name.equals("country")) {
            return COUNTRY;
        } else if (name.equals("capabilities")) {
            return CAPABILITIES;
        } else if (name.equals("ip")) {
            return IP;
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
