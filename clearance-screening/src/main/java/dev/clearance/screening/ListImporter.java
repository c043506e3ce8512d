package dev.clearance.screening;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.core.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the published U.S. restricted-party lists into a {@link ListVersion}.
 *
 * <p>An import is all or nothing: the whole input is parsed and checked before a version is
 * returned, and the first malformed record fails the import with its file and line. Files are
 * read as UTF-8; a file that is not valid UTF-8 is read as Windows-1252, which is how the OFAC
 * legacy files have been published. Trailing lines holding only blanks or control characters
 * (the DOS end-of-file mark {@code 0x1A} the OFAC files have carried) are skipped.
 */
public final class ListImporter {
    private static final int SDN_FIELDS = 12;
    private static final int ALT_FIELDS = 5;
    private static final int ADD_FIELDS = 6;
    private static final List<String> DPL_HEADER = List.of(
            "Name",
            "Street_Address",
            "City",
            "State",
            "Country",
            "Postal_Code",
            "Effective_Date",
            "Expiration_Date",
            "Standard_Order",
            "Last_Update",
            "Action",
            "FR_Citation");
    private static final Pattern DOB = Pattern.compile("\\bDOB ([^;]+)");
    private static final Pattern NATIONALITY =
            Pattern.compile("\\b(?:nationality|citizen) ([^;]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern LIST_CODE = Pattern.compile("\\(([A-Z][A-Z0-9-]{1,9})\\)");

    private final Clock clock;

    public ListImporter(Clock clock) {
        this.clock = clock;
    }

    /** Imports the list of the given kind; for {@link ListSource#OFAC_SDN} the path is a folder. */
    public ListVersion load(ListSource source, Path path) throws ListImportException {
        return switch (source) {
            case OFAC_SDN -> ofacSdn(path);
            case CSL -> csl(path);
            case BIS_DPL -> bisDpl(path);
        };
    }

    /** OFAC legacy CSV: {@code sdn.csv}, {@code alt.csv} and {@code add.csv} joined by {@code ent_num}. */
    public ListVersion ofacSdn(Path folder) throws ListImportException {
        Path sdnPath = folder.resolve("sdn.csv");
        Path altPath = folder.resolve("alt.csv");
        Path addPath = folder.resolve("add.csv");
        byte[] sdnBytes = read(sdnPath);
        byte[] altBytes = read(altPath);
        byte[] addBytes = read(addPath);

        record Entry(
                long line,
                String id,
                PartyType type,
                String name,
                List<String> programs,
                String remarks,
                List<String> aliases,
                Set<String> countries) {}
        Map<String, Entry> entries = new LinkedHashMap<>();
        String sdnName = sdnPath.toString();
        for (DelimitedRecords.Row row : rows(sdnName, sdnBytes, ',')) {
            List<String> f = fields(sdnName, row, SDN_FIELDS);
            String id = entNum(sdnName, row, f.get(0));
            String name = ofac(f.get(1));
            if (name.isEmpty()) throw new ListImportException(sdnName, row.line(), "field SDN_Name is empty");
            // The legacy file leaves SDN_Type empty ("-0-") for entities.
            String typeWord = ofac(f.get(2));
            PartyType type = typeWord.isEmpty() ? PartyType.ORGANIZATION : PartyType.fromListWord(typeWord);
            if (type == PartyType.UNKNOWN) {
                throw new ListImportException(
                        sdnName,
                        row.line(),
                        "field SDN_Type has unknown value '" + typeWord
                                + "'; expected individual, vessel, aircraft or -0-");
            }
            List<String> programs = new ArrayList<>();
            for (String p : ofac(f.get(3)).split("\\]\\s*\\[")) {
                String t = p.replace("[", "").replace("]", "").trim();
                if (!t.isEmpty()) programs.add(t);
            }
            Entry previous = entries.put(
                    id,
                    new Entry(
                            row.line(),
                            id,
                            type,
                            name,
                            programs,
                            ofac(f.get(11)),
                            new ArrayList<>(),
                            new LinkedHashSet<>()));
            if (previous != null) {
                throw new ListImportException(
                        sdnName, row.line(), "ent_num " + id + " already defined at line " + previous.line());
            }
        }
        String altName = altPath.toString();
        for (DelimitedRecords.Row row : rows(altName, altBytes, ',')) {
            List<String> f = fields(altName, row, ALT_FIELDS);
            Entry e = entries.get(entNum(altName, row, f.get(0)));
            if (e == null)
                throw new ListImportException(
                        altName, row.line(), "ent_num " + f.get(0).trim() + " is not in sdn.csv");
            String alias = ofac(f.get(3));
            if (alias.isEmpty()) throw new ListImportException(altName, row.line(), "field alt_name is empty");
            e.aliases().add(alias);
        }
        String addName = addPath.toString();
        for (DelimitedRecords.Row row : rows(addName, addBytes, ',')) {
            List<String> f = fields(addName, row, ADD_FIELDS);
            Entry e = entries.get(entNum(addName, row, f.get(0)));
            if (e == null)
                throw new ListImportException(
                        addName, row.line(), "ent_num " + f.get(0).trim() + " is not in sdn.csv");
            String country = ofac(f.get(4));
            if (!country.isEmpty()) e.countries().add(country);
        }
        List<ListedParty> parties = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            Set<String> countries = new LinkedHashSet<>(e.countries());
            for (String n : matches(NATIONALITY, e.remarks())) countries.add(n);
            parties.add(new ListedParty(
                    "SDN",
                    e.id(),
                    e.type(),
                    e.name(),
                    e.aliases(),
                    List.copyOf(countries),
                    matches(DOB, e.remarks()),
                    e.programs()));
        }
        return new ListVersion(
                ListSource.OFAC_SDN,
                folder.toString(),
                clock.instant(),
                hash(List.of(sdnBytes, altBytes, addBytes)),
                parties);
    }

    /** trade.gov Consolidated Screening List; JSON when the file starts with '{' or '[', CSV otherwise. */
    public ListVersion csl(Path file) throws ListImportException {
        byte[] bytes = read(file);
        String name = file.toString();
        String text = decode(bytes);
        String head = text.stripLeading();
        List<ListedParty> parties =
                head.startsWith("{") || head.startsWith("[") ? cslJson(name, text) : cslCsv(name, text);
        return new ListVersion(ListSource.CSL, name, clock.instant(), hash(List.of(bytes)), parties);
    }

    /** BIS Denied Persons List: tab-separated, quoted, with a header line. */
    public ListVersion bisDpl(Path file) throws ListImportException {
        byte[] bytes = read(file);
        String name = file.toString();
        List<DelimitedRecords.Row> rows = rows(name, bytes, '\t');
        if (rows.isEmpty())
            throw new ListImportException(name, 1, "file is empty; expected a header line " + DPL_HEADER);
        List<String> header = rows.get(0).fields().stream().map(String::trim).toList();
        if (!header.equals(DPL_HEADER)) {
            throw new ListImportException(name, rows.get(0).line(), "header is " + header + "; expected " + DPL_HEADER);
        }
        List<ListedParty> parties = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        for (DelimitedRecords.Row row : rows.subList(1, rows.size())) {
            List<String> f = fields(name, row, DPL_HEADER.size());
            String partyName = f.get(0).trim();
            if (partyName.isEmpty()) throw new ListImportException(name, row.line(), "field Name is empty");
            String country = f.get(4).trim();
            // The DPL has no entry ids: derive a stable one from the fields that identify the order.
            String id = "DPL-"
                    + shortHash(partyName + "|" + f.get(1).trim() + "|"
                            + f.get(2).trim() + "|" + f.get(6).trim());
            Long dup = seen.put(id, row.line());
            if (dup != null) {
                // Identical name, address and date twice: one order, listed twice. Keep the first.
                continue;
            }
            parties.add(new ListedParty(
                    "DPL",
                    id,
                    PartyType.UNKNOWN,
                    partyName,
                    List.of(),
                    country.isEmpty() ? List.of() : List.of(country),
                    List.of(),
                    List.of(f.get(11).trim())));
        }
        return new ListVersion(ListSource.BIS_DPL, name, clock.instant(), hash(List.of(bytes)), parties);
    }

    private List<ListedParty> cslCsv(String file, String text) throws ListImportException {
        List<DelimitedRecords.Row> rows = DelimitedRecords.parse(file, text, ',');
        rows = withoutJunk(rows);
        if (rows.isEmpty()) throw new ListImportException(file, 1, "file is empty; expected a header line");
        List<String> header = rows.get(0).fields().stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT))
                .toList();
        for (String required : List.of("source", "name")) {
            if (!header.contains(required)) {
                throw new ListImportException(file, rows.get(0).line(), "header has no column '" + required + "'");
            }
        }
        List<ListedParty> parties = new ArrayList<>();
        for (DelimitedRecords.Row row : rows.subList(1, rows.size())) {
            List<String> f = fields(file, row, header.size());
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < header.size(); i++)
                values.put(header.get(i), f.get(i).trim());
            parties.add(cslParty(file, row.line(), field -> split(values.getOrDefault(field, ""))));
        }
        return parties;
    }

    private List<ListedParty> cslJson(String file, String text) throws ListImportException {
        ObjectMapper mapper = new ObjectMapper();
        List<ListedParty> parties = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                // The trade.gov download wraps the entries: {"results": [ ... ], ...}
                boolean found = false;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (field.equals("results")) {
                        found = true;
                        readCslArray(file, p, mapper, parties);
                    } else {
                        p.skipChildren();
                    }
                }
                if (!found) throw new ListImportException(file, 1, "JSON object has no \"results\" array");
            } else if (first == JsonToken.START_ARRAY) {
                readCslArray(file, p, mapper, parties);
            } else {
                throw new ListImportException(file, 1, "expected a JSON object with \"results\" or a JSON array");
            }
            if (p.nextToken() != null) {
                throw new ListImportException(
                        file, p.currentLocation().getLineNr(), "unexpected content after the JSON document");
            }
        } catch (JsonProcessingException e) {
            throw new ListImportException(
                    file,
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ListImportException(file, 0, "cannot read: " + e.getMessage());
        }
        return parties;
    }

    private void readCslArray(String file, JsonParser p, ObjectMapper mapper, List<ListedParty> out)
            throws IOException, ListImportException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new ListImportException(file, p.currentLocation().getLineNr(), "\"results\" must be an array");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            long line = p.currentLocation().getLineNr();
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new ListImportException(file, line, "each result must be a JSON object");
            }
            JsonNode node = mapper.readTree(p);
            out.add(cslParty(file, line, field -> jsonValues(file, line, node, field)));
        }
    }

    /** Reads a field as strings: a JSON array, or a string with "; "-separated values. */
    private static List<String> jsonValues(String file, long line, JsonNode node, String field)
            throws ListImportException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return List.of();
        if (v.isTextual() || v.isNumber()) return split(v.asText());
        if (v.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (e.isTextual() || e.isNumber()) {
                    String s = e.asText().trim();
                    if (!s.isEmpty()) out.add(s);
                } else if (e.isObject()) {
                    // addresses: [{"address": ..., "city": ..., "country": "CN"}] -> the country is what matching uses
                    JsonNode country = e.get("country");
                    if (field.equals("addresses")) {
                        if (country != null
                                && country.isTextual()
                                && !country.asText().isBlank())
                            out.add(", " + country.asText().trim());
                    } else {
                        throw new ListImportException(
                                file, line, "field " + field + " holds an object; expected strings");
                    }
                } else if (!e.isNull()) {
                    throw new ListImportException(
                            file, line, "field " + field + " holds " + e.getNodeType() + "; expected strings");
                }
            }
            return out;
        }
        throw new ListImportException(
                file, line, "field " + field + " is " + v.getNodeType() + "; expected a string or an array");
    }

    @FunctionalInterface
    private interface Fields {
        List<String> get(String field) throws ListImportException;
    }

    private static ListedParty cslParty(String file, long line, Fields f) throws ListImportException {
        List<String> source = f.get("source");
        if (source.isEmpty()) throw new ListImportException(file, line, "field source is empty");
        String sourceName = String.join("; ", source);
        Matcher code = LIST_CODE.matcher(sourceName);
        if (!code.find()) {
            throw new ListImportException(
                    file,
                    line,
                    "field source '" + sourceName
                            + "' has no list code in parentheses, e.g. 'Entity List (EL) - Bureau of Industry and Security'");
        }
        String list = code.group(1);
        List<String> names = f.get("name");
        String name = names.isEmpty() ? "" : String.join("; ", names).trim();
        if (name.isEmpty()) throw new ListImportException(file, line, "field name is empty");
        List<String> ids = f.get("entity_number");
        List<String> addresses = f.get("addresses");
        String id = ids.isEmpty()
                ? list + "-" + shortHash(list + "|" + name + "|" + String.join("; ", addresses))
                : ids.get(0);
        List<String> types = f.get("type");
        PartyType type = types.isEmpty() ? PartyType.UNKNOWN : PartyType.fromListWord(types.get(0));
        Set<String> countries = new LinkedHashSet<>();
        for (String a : addresses) {
            // trade.gov addresses end with the ISO country code: "..., Hong Kong, HK"
            int comma = a.lastIndexOf(", ");
            String last = (comma < 0 ? a : a.substring(comma + 2)).trim();
            if (last.matches("[A-Z]{2}")) countries.add(last);
        }
        countries.addAll(f.get("citizenships"));
        countries.addAll(f.get("nationalities"));
        return new ListedParty(
                list,
                id,
                type,
                name,
                f.get("alt_names"),
                List.copyOf(countries),
                f.get("dates_of_birth"),
                f.get("programs"));
    }

    private static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split("; ")) {
            String t = s.trim();
            if (!t.isEmpty()) out.add(t);
        }
        return out;
    }

    private static List<String> fields(String file, DelimitedRecords.Row row, int expected) throws ListImportException {
        if (row.fields().size() != expected) {
            throw new ListImportException(
                    file,
                    row.line(),
                    "expected " + expected + " fields, found " + row.fields().size());
        }
        return row.fields();
    }

    private static String entNum(String file, DelimitedRecords.Row row, String value) throws ListImportException {
        String v = value.trim();
        if (!v.matches("[0-9]{1,10}")) {
            throw new ListImportException(file, row.line(), "field ent_num is '" + v + "'; expected a number");
        }
        return v;
    }

    /** OFAC writes "-0-" (often padded with a blank) for an empty field. */
    private static String ofac(String value) {
        String v = value.trim();
        return v.equals("-0-") ? "" : v;
    }

    private static List<String> matches(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) out.add(m.group(1).trim().replaceAll("\\.$", ""));
        return out;
    }

    private static List<DelimitedRecords.Row> rows(String file, byte[] bytes, char delimiter)
            throws ListImportException {
        return withoutJunk(DelimitedRecords.parse(file, decode(bytes), delimiter));
    }

    private static List<DelimitedRecords.Row> withoutJunk(List<DelimitedRecords.Row> rows) {
        int end = rows.size();
        while (end > 0 && isJunk(rows.get(end - 1))) end--;
        return rows.subList(0, end);
    }

    private static boolean isJunk(DelimitedRecords.Row row) {
        for (String f : row.fields()) {
            for (int i = 0; i < f.length(); i++) {
                char c = f.charAt(i);
                if (!Character.isWhitespace(c) && !Character.isISOControl(c)) return false;
            }
        }
        return true;
    }

    private static byte[] read(Path path) throws ListImportException {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ListImportException(path.toString(), 0, "file does not exist");
        } catch (IOException e) {
            throw new ListImportException(path.toString(), 0, "cannot read: " + e.getMessage());
        }
    }

    static String decode(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            return new String(bytes, Charset.forName("windows-1252"));
        }
    }

    private static String hash(List<byte[]> parts) {
        MessageDigest md = Sha256.newDigest();
        for (byte[] p : parts) {
            // Length-prefix each file so moving bytes between files changes the hash.
            md.update(ByteBuffer.allocate(8).putLong(p.length).array());
            md.update(p);
        }
        return "sha256:" + Sha256.hex(md);
    }

    /** The first 6 bytes of the SHA-256, in hex. */
    private static String shortHash(String s) {
        return Sha256.hex(s).substring(0, 12);
    }
}
