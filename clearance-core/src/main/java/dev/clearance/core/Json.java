package dev.clearance.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The JSON shapes Clearance reads and writes: principals and requests (one object per line, strict:
 * unknown keys and wrong types are errors naming the field) and decisions (one line, fixed field order).
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    /**
     * The fields of a principal line, in a fixed order (a byte scanner numbers them by position);
     * every other field is refused.
     */
    public static final List<String> PRINCIPAL_FIELDS = List.of(
            "id",
            "kind",
            "name",
            "citizenships",
            "lawful_permanent_resident_of",
            "protected_individual",
            "residence_country",
            "incorporated_in",
            "organization",
            "identity_assurance",
            "licenses",
            "attributes");

    /** The fields of a principal line, as a set; every other field is refused. */
    public static final Set<String> PRINCIPAL_KEYS = Set.copyOf(PRINCIPAL_FIELDS);

    /** The fields of a licence in a principal's {@code licenses}, in a fixed order; every other field is refused. */
    public static final List<String> LICENSE_FIELDS = List.of("id", "type", "models", "valid_from", "valid_until");

    /** The fields of a licence, as a set. */
    public static final Set<String> LICENSE_KEYS = Set.copyOf(LICENSE_FIELDS);

    static final Set<String> REQUEST_KEYS = Set.of("id", "principal", "model", "capabilities", "time", "country", "ip");

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    // ---- principals -------------------------------------------------------------------------

    /** Parses one principal object; errors name the field (the caller adds file and line). */
    public static Principal principal(String json) throws PolicyException {
        return principal(json, "<input>", 0);
    }

    /** Parses one principal object; errors are located as {@code file:line: field ...}. */
    public static Principal principal(String json, String file, int line) throws PolicyException {
        Fields f = new Fields(file, line, parseObject(json, file, line, "principal"), "principal");
        f.allowOnly(PRINCIPAL_KEYS);
        String id = f.requiredString("id");
        String kindText = f.string("kind");
        Principal.Kind kind = Principal.Kind.PERSON;
        if (kindText != null) {
            switch (kindText) {
                case "person" -> kind = Principal.Kind.PERSON;
                case "organization" -> kind = Principal.Kind.ORGANIZATION;
                default -> f.error("kind", "'" + kindText + "' is not valid (valid: person, organization)");
            }
        }
        String name = f.string("name");
        List<String> citizenships = f.countries("citizenships");
        String lpr = f.country("lawful_permanent_resident_of");
        boolean protectedIndividual = f.bool("protected_individual");
        String residence = f.country("residence_country");
        String incorporated = f.country("incorporated_in");
        String organization = f.string("organization");
        int ial = f.integer("identity_assurance", 0, 3);
        List<License> licenses = new ArrayList<>();
        JsonNode ln = f.node.get("licenses");
        if (ln != null && !ln.isNull()) {
            if (!ln.isArray()) {
                f.error("licenses", "expected a list of {id, type, models?, valid_from, valid_until}");
            } else {
                for (int i = 0; i < ln.size(); i++) {
                    JsonNode l = ln.get(i);
                    String at = "licenses[" + i + "]";
                    if (!l.isObject()) {
                        f.error(at, "expected an object {id, type, models?, valid_from, valid_until}");
                        continue;
                    }
                    Fields lf = new Fields(file, line, (ObjectNode) l, at, f.problems);
                    lf.allowOnly(LICENSE_KEYS);
                    String lid = lf.requiredString("id");
                    String type = lf.requiredString("type");
                    List<String> models = lf.strings("models");
                    if (l.has("models") && models.isEmpty()) {
                        lf.error("models", "must not be empty when present (leave it out to cover every model)");
                    }
                    Instant from = lf.requiredTime("valid_from");
                    Instant until = lf.requiredTime("valid_until");
                    if (from != null && until != null && !until.isAfter(from)) {
                        lf.error("valid_until", "must be after valid_from");
                    }
                    if (lid != null && type != null && from != null && until != null) {
                        licenses.add(new License(lid, type, models, from, until));
                    }
                }
            }
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode an = f.node.get("attributes");
        if (an != null && !an.isNull()) {
            if (!an.isObject()) {
                f.error("attributes", "expected an object of string values");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = an.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isTextual()) {
                        attributes.put(e.getKey(), e.getValue().asText());
                    } else {
                        f.error("attributes." + e.getKey(), "expected a string");
                    }
                }
            }
        }
        f.throwIfAny();
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
                ial,
                licenses,
                attributes,
                null,
                null);
    }

    /** The principal as one canonical JSON line (the import format; screening results are not part of it). */
    public static String writePrincipal(Principal p) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("id", p.id());
            g.writeStringField("kind", p.kind().wireName());
            g.writeStringField("name", p.name());
            stringArray(g, "citizenships", p.citizenships());
            g.writeStringField("lawful_permanent_resident_of", p.lawfulPermanentResidentOf());
            g.writeBooleanField("protected_individual", p.protectedIndividual());
            g.writeStringField("residence_country", p.residenceCountry());
            g.writeStringField("incorporated_in", p.incorporatedIn());
            g.writeStringField("organization", p.organization());
            g.writeNumberField("identity_assurance", p.identityAssurance());
            g.writeArrayFieldStart("licenses");
            for (License l : p.licenses()) {
                g.writeStartObject();
                g.writeStringField("id", l.id());
                g.writeStringField("type", l.type());
                if (!l.models().isEmpty()) {
                    stringArray(g, "models", l.models());
                }
                g.writeStringField("valid_from", l.validFrom().toString());
                g.writeStringField("valid_until", l.validUntil().toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("attributes");
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(p.attributes()).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    // ---- requests ---------------------------------------------------------------------------

    /**
     * Parses one request {@code {"id","principal","model","capabilities"?,"time"?,"country"?,"ip"?}};
     * a missing time is {@code now}.
     */
    public static Request request(String json, String file, int line, Supplier<Instant> now) throws PolicyException {
        Fields f = new Fields(file, line, parseObject(json, file, line, "request"), "request");
        f.allowOnly(REQUEST_KEYS);
        String id = f.string("id");
        String principal = f.requiredString("principal");
        String model = f.requiredString("model");
        List<String> caps = f.strings("capabilities");
        Instant time = f.node.has("time") ? f.requiredTime("time") : now.get();
        String country = f.country("country");
        String ip = f.string("ip");
        f.throwIfAny();
        return new Request(id, principal, model, caps, time, country, ip, "");
    }

    // ---- decisions --------------------------------------------------------------------------

    /** {@code {"id","decision","directives","shadow","errors","message","policy_version"}} on one line. */
    public static String decision(Decision d) {
        return write(g -> writeDecision(g, d));
    }

    public static void writeDecision(JsonGenerator g, Decision d) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", d.id());
        g.writeStringField("decision", d.outcome().wireName());
        stringArray(g, "directives", d.directives());
        stringArray(g, "shadow", d.shadow());
        stringArray(g, "errors", d.errors());
        g.writeStringField("message", d.message());
        g.writeStringField("policy_version", d.policyVersion());
        g.writeEndObject();
    }

    // ---- plumbing ---------------------------------------------------------------------------

    /** Writes JSON with a generator; used for every one-line JSON Clearance emits. */
    public interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    public static String write(Writer w) {
        StringWriter sw = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(sw)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    public static void stringArray(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static ObjectNode parseObject(String json, String file, int line, String what) throws PolicyException {
        JsonNode n;
        try (JsonParser p = FACTORY.createParser(json)) {
            // A key given twice is refused, not resolved silently (last one wins) in either direction.
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            n = MAPPER.readTree(p);
            // One object per line: anything after it (a second object) is an error, never silently dropped.
            if (n != null && p.nextToken() != null) {
                throw new PolicyException(new Problem(
                        file,
                        line,
                        p.currentTokenLocation().getColumnNr(),
                        "malformed JSON: content after the " + what + " object (one " + what + " per line)"));
            }
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            int col = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            throw new PolicyException(new Problem(file, line, col, "malformed JSON: " + firstLine(msg)));
        } catch (IOException e) {
            throw new PolicyException(new Problem(file, line, 0, "malformed JSON: " + e.getMessage()));
        }
        if (n == null || !n.isObject()) {
            throw new PolicyException(new Problem(file, line, 0, "expected a JSON object (one " + what + " per line)"));
        }
        return (ObjectNode) n;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Typed, located access to one JSON object; collects every problem. */
    private static final class Fields {
        final String file;
        final int line;
        final ObjectNode node;
        final String prefix;
        final List<Problem> problems;

        Fields(String file, int line, ObjectNode node, String what) {
            this(file, line, node, what, new ArrayList<>());
        }

        Fields(String file, int line, ObjectNode node, String prefix, List<Problem> problems) {
            this.file = file;
            this.line = line;
            this.node = node;
            this.prefix = prefix;
            this.problems = problems;
        }

        void error(String field, String message) {
            String where = prefix.contains("[") ? prefix + "." + field : field;
            problems.add(new Problem(file, line, 0, "field '" + where + "': " + message));
        }

        void allowOnly(Set<String> keys) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!keys.contains(k)) {
                    error(k, "unknown field (valid: " + String.join(", ", new java.util.TreeSet<>(keys)) + ")");
                }
            }
        }

        String string(String field) {
            JsonNode n = node.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isTextual()) {
                error(field, "expected a string");
                return null;
            }
            return n.asText();
        }

        String requiredString(String field) {
            if (!node.has(field) || node.get(field).isNull()) {
                error(field, "required");
                return null;
            }
            String s = string(field);
            if (s != null && s.isBlank()) {
                error(field, "must not be empty");
                return null;
            }
            return s;
        }

        boolean bool(String field) {
            JsonNode n = node.get(field);
            if (n == null || n.isNull()) {
                return false;
            }
            if (!n.isBoolean()) {
                error(field, "expected true or false");
                return false;
            }
            return n.asBoolean();
        }

        int integer(String field, int min, int max) {
            JsonNode n = node.get(field);
            if (n == null || n.isNull()) {
                return 0;
            }
            if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
                error(field, "expected an integer from " + min + " to " + max);
                return 0;
            }
            return n.asInt();
        }

        List<String> strings(String field) {
            JsonNode n = node.get(field);
            if (n == null || n.isNull()) {
                return List.of();
            }
            if (!n.isArray()) {
                error(field, "expected a list of strings");
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual() || e.asText().isBlank()) {
                    error(field, "every item must be a non-empty string");
                } else {
                    out.add(e.asText());
                }
            }
            return out;
        }

        String country(String field) {
            String s = string(field);
            if (s == null || s.isEmpty()) {
                return "";
            }
            if (!COUNTRY.matcher(s).matches()) {
                error(field, "'" + s + "' is not an ISO 3166 alpha-2 code (two upper-case letters, e.g. US)");
                return "";
            }
            return s;
        }

        List<String> countries(String field) {
            List<String> l = strings(field);
            for (String s : l) {
                if (!COUNTRY.matcher(s).matches()) {
                    error(field, "'" + s + "' is not an ISO 3166 alpha-2 code (two upper-case letters, e.g. US)");
                }
            }
            return l;
        }

        Instant requiredTime(String field) {
            String s = requiredString(field);
            if (s == null) {
                return null;
            }
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                error(field, "'" + s + "' is not an RFC 3339 timestamp with an offset (e.g. 2026-11-26T12:00:00Z)");
                return null;
            }
        }

        void throwIfAny() throws PolicyException {
            if (!problems.isEmpty()) {
                throw new PolicyException(problems);
            }
        }
    }
}
