package dev.clearance.store.files;

import dev.clearance.core.Json;
import dev.clearance.core.License;
import dev.clearance.core.Principal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses principal lines straight from their bytes, for throughput: a scanner over the one shape a
 * principal line has (an object of known keys; strings, two-letter countries, lists of them, an
 * assurance level, licences, an object of string attributes), with no tokenizer, parser context or
 * symbol table per line. Like the simulator's request parser it accepts only lines it is certain
 * about — the common, well-formed shape, {@code null} values meaning "not given" as there — and
 * returns {@code null} for anything else (a {@code null} id, a wrong type, an unknown or repeated key,
 * a string with an escape or a control character, a country that is not two upper-case letters, a
 * number other than a single digit, a licence the validating parser would refuse, trailing content,
 * leading whitespace), which then goes to {@link Json#principal}, the one definition of the format: it
 * either accepts the line or reports the located error. So what is accepted, and every error message,
 * is exactly what the validating parser gives (property-tested over odd lines:
 * {@code PrincipalFileFastPathTest}).
 *
 * <p>Not thread-safe: one instance per parsing thread (it keeps a small cache of repeated values, so a
 * population of 200,000 principals shares one instance of each organisation and attribute string).
 */
final class PrincipalLines {
    /** Every two-upper-case-letter code, one instance each. */
    private static final String[] COUNTRIES = new String[26 * 26];

    static {
        for (int i = 0; i < COUNTRIES.length; i++) {
            COUNTRIES[i] = new String(new char[] {(char) ('A' + i / 26), (char) ('A' + i % 26)});
        }
    }

    /**
     * The keys of a principal line, numbered by the constants below: the format's own list (a test
     * holds each constant to its key, so a reordered list fails it).
     */
    static final List<String> KEY_NAMES = Json.PRINCIPAL_FIELDS;

    private static final byte[][] KEYS = ascii(KEY_NAMES);

    static final int ID = 0,
            KIND = 1,
            NAME = 2,
            CITIZENSHIPS = 3,
            LPR = 4,
            PROTECTED = 5,
            RESIDENCE = 6,
            INCORPORATED = 7,
            ORGANIZATION = 8,
            ASSURANCE = 9,
            LICENSES = 10,
            ATTRIBUTES = 11;

    /** The keys of a licence, numbered by the constants below: the format's own list (held by the same test). */
    static final List<String> LICENSE_KEY_NAMES = Json.LICENSE_FIELDS;

    private static final byte[][] LICENSE_KEYS = ascii(LICENSE_KEY_NAMES);

    static final int L_ID = 0, L_TYPE = 1, L_MODELS = 2, L_FROM = 3, L_UNTIL = 4;
    private static final byte[] PERSON = "person".getBytes(StandardCharsets.US_ASCII),
            ORGANIZATION_KIND = "organization".getBytes(StandardCharsets.US_ASCII);

    /** Longer strings go to the validating parser, which holds them to its own limits. */
    private static final int MAX_STRING = 1 << 16;

    /** Values seen often (organisations, attribute keys and values), bounded. */
    private final Map<String, String> repeated = new HashMap<>();

    /** Licence times seen before (populations share a few validity periods). */
    private final Map<String, Instant> times = new HashMap<>();

    /** For strings with non-ASCII bytes: refuses malformed UTF-8 (the validating reader reports it). */
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private byte[] b;
    private int pos;
    private int end;
    /** Where the last {@link #string} call's characters start, and how many bytes they are. */
    private int strFrom;

    private int strLen;

    /** The principal on {@code buf[off, off+len)}, or {@code null} when the line needs the validating parser. */
    Principal parse(byte[] buf, int off, int len) {
        if (len == 0 || buf[off] != '{') {
            return null;
        }
        b = buf;
        pos = off + 1;
        end = off + len;
        try {
            return principal();
        } catch (NotCertain | RuntimeException e) {
            return null;
        } finally {
            b = null;
        }
    }

    private Principal principal() throws NotCertain {
        String id = null, name = "", lpr = "", residence = "", incorporated = "", organization = "";
        Principal.Kind kind = Principal.Kind.PERSON;
        boolean protectedIndividual = false;
        int assurance = 0;
        List<String> citizenships = List.of();
        List<License> licenses = List.of();
        Map<String, String> attributes = Map.of();
        int seen = 0;
        if (!endOf('}')) {
            do {
                int key = key(KEYS, seen);
                seen |= 1 << key;
                if (literal("null")) {
                    if (key == ID) {
                        throw NotCertain.INSTANCE;
                    }
                    continue; // what the validating parser reads for an absent field: the defaults above
                }
                switch (key) {
                    case ID -> id = nonBlank();
                    case KIND -> {
                        string();
                        if (sameBytes(PERSON)) {
                            kind = Principal.Kind.PERSON;
                        } else if (sameBytes(ORGANIZATION_KIND)) {
                            kind = Principal.Kind.ORGANIZATION;
                        } else {
                            throw NotCertain.INSTANCE;
                        }
                    }
                    case NAME -> name = text();
                    case CITIZENSHIPS -> citizenships = countries();
                    case LPR -> lpr = countryOrEmpty();
                    case PROTECTED -> protectedIndividual = bool();
                    case RESIDENCE -> residence = countryOrEmpty();
                    case INCORPORATED -> incorporated = countryOrEmpty();
                    case ORGANIZATION -> organization = shared(text());
                    case ASSURANCE -> assurance = level();
                    case LICENSES -> licenses = licenses();
                    case ATTRIBUTES -> attributes = attributes();
                    default -> throw NotCertain.INSTANCE;
                }
            } while (nextOf('}'));
        }
        skipSpace();
        if (pos != end || id == null) {
            return null;
        }
        return new Principal(
                id,
                kind,
                name,
                citizenships,
                lpr,
                protectedIndividual,
                residence,
                incorporated,
                organization,
                assurance,
                licenses,
                attributes,
                null,
                null);
    }

    /** Thrown inside {@link #parse} where a value needs the validating parser; carries no stack. */
    private static final class NotCertain extends Exception {
        static final NotCertain INSTANCE = new NotCertain();

        private NotCertain() {
            super(null, null, false, false);
        }
    }

    // ---- the scanner ----

    private void skipSpace() {
        while (pos < end && (b[pos] == ' ' || b[pos] == '\t')) {
            pos++;
        }
    }

    /** After an opening bracket: whether the container is empty (its {@code close} consumed). */
    private boolean endOf(char close) {
        skipSpace();
        if (pos < end && b[pos] == close) {
            pos++;
            return true;
        }
        return false;
    }

    /** After a member: {@code true} at a comma (another member follows), {@code false} at {@code close}. */
    private boolean nextOf(char close) throws NotCertain {
        skipSpace();
        if (pos < end) {
            byte c = b[pos++];
            if (c == ',') {
                return true;
            }
            if (c == close) {
                return false;
            }
        }
        throw NotCertain.INSTANCE;
    }

    private void expect(char c) throws NotCertain {
        skipSpace();
        if (pos >= end || b[pos] != c) {
            throw NotCertain.INSTANCE;
        }
        pos++;
    }

    /**
     * A key of {@code keys} and its colon: the key's index. Any other key is not certain, nor is one
     * already in {@code seen} (bit {@code 1 << index}): the validating parser says which of two counts.
     */
    private int key(byte[][] keys, int seen) throws NotCertain {
        string();
        for (int k = 0; k < keys.length; k++) {
            if (sameBytes(keys[k])) {
                if ((seen & (1 << k)) != 0) {
                    throw NotCertain.INSTANCE;
                }
                expect(':');
                return k;
            }
        }
        throw NotCertain.INSTANCE;
    }

    /**
     * A JSON string without escapes or control characters: sets {@link #strFrom}/{@link #strLen} to its
     * bytes. Returns whether they are all ASCII.
     */
    private boolean string() throws NotCertain {
        expect('"');
        int from = pos;
        boolean ascii = true;
        while (true) {
            if (pos >= end) {
                throw NotCertain.INSTANCE;
            }
            byte c = b[pos];
            if (c == '"') {
                break;
            }
            if (c == '\\' || (c >= 0 && c < 0x20)) {
                throw NotCertain.INSTANCE;
            }
            if (c < 0) {
                ascii = false;
            }
            pos++;
        }
        if (pos - from > MAX_STRING) {
            throw NotCertain.INSTANCE;
        }
        strFrom = from;
        strLen = pos - from;
        pos++; // the closing quote
        return ascii;
    }

    private boolean sameBytes(byte[] k) {
        return strLen == k.length && java.util.Arrays.equals(b, strFrom, strFrom + strLen, k, 0, k.length);
    }

    /** A string value as a String. */
    private String text() throws NotCertain {
        boolean ascii = string();
        if (ascii) {
            return new String(b, strFrom, strLen, StandardCharsets.ISO_8859_1);
        }
        try {
            return utf8.decode(ByteBuffer.wrap(b, strFrom, strLen)).toString();
        } catch (CharacterCodingException e) {
            throw NotCertain.INSTANCE;
        }
    }

    private String nonBlank() throws NotCertain {
        String s = text();
        if (s.isBlank()) {
            throw NotCertain.INSTANCE;
        }
        return s;
    }

    /** {@code word} followed by the end of a value; consumed only when it is there. */
    private boolean literal(String word) {
        skipSpace();
        int n = word.length();
        if (end - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        if (pos + n < end && !delimiter(b[pos + n])) {
            return false;
        }
        pos += n;
        return true;
    }

    private static boolean delimiter(byte c) {
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t';
    }

    private boolean bool() throws NotCertain {
        if (literal("true")) {
            return true;
        }
        if (literal("false")) {
            return false;
        }
        throw NotCertain.INSTANCE;
    }

    /** An assurance level: one digit from 0 to 3 (anything longer, signed or fractional is not certain). */
    private int level() throws NotCertain {
        skipSpace();
        if (pos >= end) {
            throw NotCertain.INSTANCE;
        }
        int d = b[pos] - '0';
        if (d < 0 || d > 3 || (pos + 1 < end && !delimiter(b[pos + 1]))) {
            throw NotCertain.INSTANCE;
        }
        pos++;
        return d;
    }

    /** Two upper-case letters, as the shared instance; anything else is not certain. */
    private String country() throws NotCertain {
        string();
        if (strLen != 2) {
            throw NotCertain.INSTANCE;
        }
        int x = b[strFrom] - 'A', y = b[strFrom + 1] - 'A';
        if (x < 0 || x >= 26 || y < 0 || y >= 26) {
            throw NotCertain.INSTANCE;
        }
        return COUNTRIES[x * 26 + y];
    }

    private String countryOrEmpty() throws NotCertain {
        skipSpace();
        if (end - pos >= 2 && b[pos] == '"' && b[pos + 1] == '"') {
            pos += 2;
            return "";
        }
        return country();
    }

    private List<String> countries() throws NotCertain {
        expect('[');
        if (endOf(']')) {
            return List.of();
        }
        String first = country();
        if (!nextOf(']')) {
            return List.of(first);
        }
        List<String> out = new ArrayList<>(4);
        out.add(first);
        do {
            out.add(country());
        } while (nextOf(']'));
        return out;
    }

    private List<License> licenses() throws NotCertain {
        expect('[');
        if (endOf(']')) {
            return List.of();
        }
        List<License> out = new ArrayList<>(2);
        do {
            out.add(license());
        } while (nextOf(']'));
        return out;
    }

    /**
     * One licence {@code {id, type, models?, valid_from, valid_until}}: every required field, models
     * a non-empty list of non-blank strings when present, times as {@code OffsetDateTime} reads them
     * (as the validating parser does), the end after the start.
     */
    private License license() throws NotCertain {
        expect('{');
        String id = null, type = null;
        List<String> models = null;
        Instant from = null, until = null;
        int seen = 0;
        if (!endOf('}')) {
            do {
                int key = key(LICENSE_KEYS, seen);
                seen |= 1 << key;
                switch (key) {
                    case L_ID -> id = nonBlank();
                    case L_TYPE -> type = shared(nonBlank());
                    case L_MODELS -> models = modelList();
                    case L_FROM -> from = time();
                    case L_UNTIL -> until = time();
                    default -> throw NotCertain.INSTANCE;
                }
            } while (nextOf('}'));
        }
        if (id == null || type == null || from == null || until == null || !until.isAfter(from)) {
            throw NotCertain.INSTANCE;
        }
        return new License(id, type, models, from, until);
    }

    private List<String> modelList() throws NotCertain {
        expect('[');
        if (endOf(']')) {
            throw NotCertain.INSTANCE; // an empty list is an error the validating parser words
        }
        List<String> out = new ArrayList<>(2);
        do {
            out.add(shared(nonBlank()));
        } while (nextOf(']'));
        return out;
    }

    private Instant time() throws NotCertain {
        String s = text();
        Instant known = times.get(s);
        if (known != null) {
            return known;
        }
        try {
            Instant i = OffsetDateTime.parse(s).toInstant();
            if (times.size() < 4096) {
                times.put(s, i);
            }
            return i;
        } catch (DateTimeParseException e) {
            throw NotCertain.INSTANCE;
        }
    }

    private Map<String, String> attributes() throws NotCertain {
        expect('{');
        if (endOf('}')) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>(4);
        do {
            String key = shared(text());
            expect(':');
            if (out.put(key, shared(text())) != null) {
                throw NotCertain.INSTANCE; // a repeated key
            }
        } while (nextOf('}'));
        return out;
    }

    /** One instance of a value seen before (up to a bound, so a population of unique values costs no more). */
    private String shared(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return s;
        }
        String prior = repeated.get(s);
        if (prior != null) {
            return prior;
        }
        if (repeated.size() < 65_536) {
            repeated.put(s, s);
        }
        return s;
    }

    private static byte[][] ascii(List<String> words) {
        return words.stream().map(w -> w.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    }
}
