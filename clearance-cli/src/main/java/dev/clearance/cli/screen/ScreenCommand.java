package dev.clearance.cli.screen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.screening.ListImportException;
import dev.clearance.screening.ListImporter;
import dev.clearance.screening.ListSource;
import dev.clearance.screening.ListVersion;
import dev.clearance.screening.PartyType;
import dev.clearance.screening.ScreeningIndex;
import dev.clearance.screening.ScreeningMatch;
import dev.clearance.screening.ScreeningQuery;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code clearance screen}: screens names against restricted-party lists and prints one JSON line
 * per query, {@code {"id", "matches": [{"list", "entity_id", "name", "score", "match"}]}}, best first.
 */
@Command(
        name = "screen",
        mixinStandardHelpOptions = true,
        description = "Screen names against restricted-party lists (OFAC SDN, trade.gov CSL, BIS DPL); JSON Lines out.")
public final class ScreenCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--list",
            required = true,
            paramLabel = "KIND=PATH",
            description =
                    "A list to screen against, repeatable. KIND: ofac-sdn (PATH = folder with sdn.csv, alt.csv, add.csv), "
                            + "csl (CSV or JSON file), bis-dpl (tab-separated file).")
    List<String> lists;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--name", description = "One name to screen (its id in the output is the name).")
        String name;

        @Option(
                names = "--queries",
                paramLabel = "FILE",
                description =
                        "JSON Lines of {\"id\", \"name\", \"kind\"?, \"country\"?, \"date_of_birth\"?}; '-' reads standard input.")
        String queries;
    }

    @Option(
            names = "--threshold",
            paramLabel = "X",
            description = "Score at which a result is a match (default: ${DEFAULT-VALUE}).")
    double threshold = ScreeningIndex.DEFAULT_THRESHOLD;

    @Option(
            names = "--explain",
            description = "Add to each result the listed name or alias compared and the token pairs.")
    boolean explain;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(threshold >= 0.0 && threshold <= 1.0)) {
            err.println("clearance screen: --threshold must be between 0 and 1, got " + threshold);
            return 2;
        }
        List<ScreeningQuery> queries = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            if (input.name != null) {
                queries.add(ScreeningQuery.ofName(input.name));
                ids.add(input.name);
            } else {
                readQueries(input.queries, queries, ids);
            }
        } catch (BadInput e) {
            err.println("clearance screen: " + e.getMessage());
            return 2;
        }
        List<ListVersion> versions = new ArrayList<>();
        ListImporter importer = new ListImporter(Clock.systemUTC());
        for (String spec : lists) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                err.println("clearance screen: --list expects KIND=PATH, e.g. ofac-sdn=lists/ofac, got '" + spec + "'");
                return 2;
            }
            try {
                versions.add(
                        importer.load(ListSource.fromWireName(spec.substring(0, eq)), Path.of(spec.substring(eq + 1))));
            } catch (IllegalArgumentException e) {
                err.println("clearance screen: --list " + spec + ": " + e.getMessage());
                return 2;
            } catch (ListImportException e) {
                err.println("clearance screen: " + e.getMessage());
                return 2;
            }
        }
        ScreeningIndex index = ScreeningIndex.build(versions);
        for (int i = 0; i < queries.size(); i++) {
            List<ScreeningMatch> matches = index.screen(queries.get(i), threshold, 0.5, ScreeningIndex.DEFAULT_LIMIT);
            out.println(line(ids.get(i), matches));
        }
        out.flush();
        return 0;
    }

    private String line(String id, List<ScreeningMatch> matches) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        ArrayNode arr = o.putArray("matches");
        for (ScreeningMatch m : matches) {
            ObjectNode r = arr.addObject();
            r.put("list", m.party().list());
            r.put("entity_id", m.party().entityId());
            r.put("name", m.party().name());
            r.put("score", Math.round(m.score() * 10_000.0) / 10_000.0);
            r.put("match", m.match());
            if (explain) r.put("explanation", m.explanation().toString());
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** Reads and checks every query before any is screened: a bad line fails the run, naming it. */
    private static void readQueries(String file, List<ScreeningQuery> queries, List<String> ids) throws BadInput {
        String label = file.equals("-") ? "<stdin>" : file;
        try (Reader r = file.equals("-")
                        ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                        : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
                BufferedReader br = new BufferedReader(r)) {
            String text;
            int line = 0;
            while ((text = br.readLine()) != null) {
                line++;
                if (text.isBlank()) continue;
                JsonNode n;
                try {
                    n = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new BadInput(label + ":" + line + ": not valid JSON: " + e.getOriginalMessage());
                }
                if (n == null || !n.isObject()) throw new BadInput(label + ":" + line + ": expected a JSON object");
                String id = text(label, line, n, "id", true);
                String name = text(label, line, n, "name", true);
                String kind = text(label, line, n, "kind", false);
                PartyType type = switch (kind.toLowerCase(Locale.ROOT)) {
                    case "" -> PartyType.UNKNOWN;
                    case "person", "individual" -> PartyType.PERSON;
                    case "organization", "organisation", "entity" -> PartyType.ORGANIZATION;
                    case "vessel" -> PartyType.VESSEL;
                    case "aircraft" -> PartyType.AIRCRAFT;
                    default ->
                        throw new BadInput(label + ":" + line + ": field kind is '" + kind
                                + "'; expected person, organization, vessel or aircraft");
                };
                queries.add(new ScreeningQuery(
                        name,
                        type,
                        text(label, line, n, "country", false),
                        text(label, line, n, "date_of_birth", false)));
                ids.add(id);
            }
        } catch (IOException e) {
            throw new BadInput(label + ": cannot read: " + e.getMessage());
        }
    }

    private static String text(String file, int line, JsonNode n, String field, boolean required) throws BadInput {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new BadInput(file + ":" + line + ": field " + field + " is missing");
            return "";
        }
        if (field.equals("id") && v.isNumber()) return v.asText();
        if (!v.isTextual()) throw new BadInput(file + ":" + line + ": field " + field + " must be a string");
        if (required && v.asText().isBlank()) throw new BadInput(file + ":" + line + ": field " + field + " is empty");
        return v.asText();
    }

    private static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }
}
