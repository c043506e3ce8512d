package dev.clearance.store.files;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.clearance.core.Json;
import dev.clearance.core.License;
import dev.clearance.core.Principal;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses principal lines straight from bytes with Jackson's streaming parser, for throughput. Like the
 * simulator's request parser it accepts only lines it is certain about — the common, well-formed
 * shape, {@code null} values meaning "not given" as there — and returns {@code null} for anything else (a
 * {@code null} id, a wrong type, an unknown or
 * repeated key, a country that is not two upper-case letters, a licence the validating parser would
 * refuse, trailing content, leading whitespace), which then goes to {@link Json#principal}, the one definition
 * of the format: it either accepts the line or reports the located error. So what is accepted, and
 * every error message, is exactly what the validating parser gives.
 *
 * <p>Not thread-safe: one instance per parsing thread (it keeps a small cache of repeated values, so a
 * population of 200,000 principals shares one instance of each organisation and attribute string).
 */
final class PrincipalLines {
    /** Repeated keys end the fast path (Jackson throws); the validating parser decides which one counts. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The fields whose {@code null} the validating parser reads as absent: all but the required id. */
    private static final Set<String> NULLABLE = Json.PRINCIPAL_KEYS.stream()
            .filter(k -> !k.equals("id"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Every two-upper-case-letter code, one instance each. */
    private static final String[] COUNTRIES = new String[26 * 26];

    static {
        for (int i = 0; i < COUNTRIES.length; i++) {
            COUNTRIES[i] = new String(new char[] {(char) ('A' + i / 26), (char) ('A' + i % 26)});
        }
    }

    /** Values seen often (organisations, attribute keys and values), bounded. */
    private final Map<String, String> repeated = new HashMap<>();

    /** Licence times seen before (populations share a few validity periods). */
    private final Map<String, Instant> times = new HashMap<>();

    /** The principal on {@code buf[off, off+len)}, or {@code null} when the line needs the validating parser. */
    Principal parse(byte[] buf, int off, int len) {
        if (len == 0 || buf[off] != '{') {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(buf, off, len)) {
            p.nextToken(); // the '{' checked above
            String id = null, name = "", lpr = "", residence = "", incorporated = "", organization = "";
            Principal.Kind kind = Principal.Kind.PERSON;
            boolean protectedIndividual = false;
            int assurance = 0;
            List<String> citizenships = List.of();
            List<License> licenses = List.of();
            Map<String, String> attributes = Map.of();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    throw NotCertain.INSTANCE;
                }
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_NULL) {
                    // What the validating parser reads for an absent field, which the defaults above already are.
                    if (!NULLABLE.contains(field)) {
                        throw NotCertain.INSTANCE;
                    }
                    continue;
                }
                switch (field) {
                    case "id" -> id = nonBlank(p, v);
                    case "kind" ->
                        kind = switch (text(p, v)) {
                            case "person" -> Principal.Kind.PERSON;
                            case "organization" -> Principal.Kind.ORGANIZATION;
                            default -> throw NotCertain.INSTANCE;
                        };
                    case "name" -> name = text(p, v);
                    case "citizenships" -> citizenships = countries(p, v);
                    case "lawful_permanent_resident_of" -> lpr = countryOrEmpty(p, v);
                    case "protected_individual" -> protectedIndividual = bool(v);
                    case "residence_country" -> residence = countryOrEmpty(p, v);
                    case "incorporated_in" -> incorporated = countryOrEmpty(p, v);
                    case "organization" -> organization = shared(text(p, v));
                    case "identity_assurance" -> assurance = assurance(p, v);
                    case "licenses" -> licenses = licenses(p, v);
                    case "attributes" -> attributes = attributes(p, v);
                    default -> throw NotCertain.INSTANCE;
                }
            }
            if (p.nextToken() != null || id == null) {
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
        } catch (NotCertain | IOException | RuntimeException e) {
            return null;
        }
    }

    /** Thrown inside {@link #parse} where a value needs the validating parser; carries no stack. */
    private static final class NotCertain extends Exception {
        static final NotCertain INSTANCE = new NotCertain();

        private NotCertain() {
            super(null, null, false, false);
        }
    }

    private static String text(JsonParser p, JsonToken v) throws IOException, NotCertain {
        if (v != JsonToken.VALUE_STRING) {
            throw NotCertain.INSTANCE;
        }
        return p.getText();
    }

    /** Two upper-case letters, as the shared instance; anything else is not certain. */
    private static String country(JsonParser p, JsonToken v) throws IOException, NotCertain {
        if (v != JsonToken.VALUE_STRING || p.getTextLength() != 2) {
            throw NotCertain.INSTANCE;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        char a = c[off], b = c[off + 1];
        if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') {
            throw NotCertain.INSTANCE;
        }
        return COUNTRIES[(a - 'A') * 26 + (b - 'A')];
    }

    private static String countryOrEmpty(JsonParser p, JsonToken v) throws IOException, NotCertain {
        return v == JsonToken.VALUE_STRING && p.getTextLength() == 0 ? "" : country(p, v);
    }

    private static List<String> countries(JsonParser p, JsonToken v) throws IOException, NotCertain {
        if (v != JsonToken.START_ARRAY) {
            throw NotCertain.INSTANCE;
        }
        List<String> out = new ArrayList<>(2);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            out.add(country(p, t));
        }
        return out;
    }

    private static boolean bool(JsonToken v) throws NotCertain {
        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
            throw NotCertain.INSTANCE;
        }
        return v == JsonToken.VALUE_TRUE;
    }

    /** An integer from 0 to 3. */
    private static int assurance(JsonParser p, JsonToken v) throws IOException, NotCertain {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw NotCertain.INSTANCE;
        }
        int level = p.getIntValue();
        if (level < 0 || level > 3) {
            throw NotCertain.INSTANCE;
        }
        return level;
    }

    private List<License> licenses(JsonParser p, JsonToken v) throws IOException, NotCertain {
        if (v != JsonToken.START_ARRAY) {
            throw NotCertain.INSTANCE;
        }
        List<License> out = new ArrayList<>(1);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            out.add(license(p, t));
        }
        return out;
    }

    /**
     * One licence {@code {id, type, models?, valid_from, valid_until}}: every required field, models
     * a non-empty list of non-blank strings when present, times as {@code OffsetDateTime} reads them
     * (as the validating parser does), the end after the start.
     */
    private License license(JsonParser p, JsonToken v) throws IOException, NotCertain {
        if (v != JsonToken.START_OBJECT) {
            throw NotCertain.INSTANCE;
        }
        String id = null, type = null;
        List<String> models = null;
        Instant from = null, until = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            if (t != JsonToken.FIELD_NAME) {
                throw NotCertain.INSTANCE;
            }
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> id = nonBlank(p, value);
                case "type" -> type = shared(nonBlank(p, value));
                case "models" -> models = modelList(p, value);
                case "valid_from" -> from = time(p, value);
                case "valid_until" -> until = time(p, value);
                default -> throw NotCertain.INSTANCE;
            }
        }
        if (id == null || type == null || from == null || until == null || !until.isAfter(from)) {
            throw NotCertain.INSTANCE;
        }
        return new License(id, type, models, from, until);
    }

    private static String nonBlank(JsonParser p, JsonToken v) throws IOException, NotCertain {
        String s = text(p, v);
        if (s.isBlank()) {
            throw NotCertain.INSTANCE;
        }
        return s;
    }

    private List<String> modelList(JsonParser p, JsonToken v) throws IOException, NotCertain {
        if (v != JsonToken.START_ARRAY) {
            throw NotCertain.INSTANCE;
        }
        List<String> out = new ArrayList<>(2);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            out.add(shared(nonBlank(p, t)));
        }
        if (out.isEmpty()) {
            throw NotCertain.INSTANCE;
        }
        return out;
    }

    private Instant time(JsonParser p, JsonToken v) throws IOException, NotCertain {
        String s = text(p, v);
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

    private Map<String, String> attributes(JsonParser p, JsonToken v) throws IOException, NotCertain {
        if (v != JsonToken.START_OBJECT) {
            throw NotCertain.INSTANCE;
        }
        Map<String, String> out = new HashMap<>(4);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = shared(p.currentName()); // t is a field name: Jackson has checked the object's syntax
            out.put(key, shared(text(p, p.nextToken())));
        }
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
}
