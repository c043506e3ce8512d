package dev.clearance.core;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads directive documents (YAML; JSON is accepted as YAML's flow style) with a strict schema:
 * an unknown key, a missing required key or a wrong type is an error located at its line and column.
 * A well-formed directive's CEL condition is type-checked by {@link Policy#compile}; a document with
 * other errors has its condition type-checked here, so every error of a document is reported in one
 * pass (a bad {@code effect} and a misspelt field in {@code applies_to} together).
 */
public final class DirectiveParser {
    static final Set<String> TOP_KEYS = new LinkedHashSet<>(List.of(
            "id",
            "title",
            "authority",
            "reference",
            "effective_from",
            "effective_until",
            "scope",
            "applies_to",
            "effect",
            "exempt",
            "mode",
            "message"));
    private static final Set<String> SCOPE_KEYS = new LinkedHashSet<>(List.of("models", "capabilities"));
    private static final Set<String> EXEMPT_KEYS = new LinkedHashSet<>(List.of("licenses"));
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private DirectiveParser() {}

    /** Parses every document in {@code text}; ids must be unique within it. */
    public static List<Directive> parse(String file, String text) throws PolicyException {
        return parseAll(Map.of(file, text));
    }

    /** Parses several files as one directive set (ids unique across all), in the map's iteration order. */
    public static List<Directive> parseAll(Map<String, String> files) throws PolicyException {
        Parsed parsed = parseCollecting(files);
        if (!parsed.problems().isEmpty()) {
            throw new PolicyException(parsed.problems());
        }
        return parsed.directives();
    }

    /** What a lenient parse found: the well-formed directives and the problems of the rest. */
    public record Parsed(List<Directive> directives, List<Problem> problems) {}

    /**
     * Parses without stopping at the first bad document, so a validator can also type-check the
     * well-formed ones and report every error in one pass. Loading must use {@link #parseAll}.
     */
    public static Parsed parseCollecting(Map<String, String> files) {
        List<Problem> problems = new ArrayList<>();
        List<Directive> out = new ArrayList<>();
        Map<String, Directive> seen = new HashMap<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            for (Directive d : parseFile(f.getKey(), f.getValue(), problems)) {
                Directive prior = seen.putIfAbsent(d.id(), d);
                if (prior != null) {
                    problems.add(new Problem(
                            d.source().file(),
                            d.source().line(),
                            d.source().column(),
                            "duplicate directive id '" + d.id() + "' (first defined at "
                                    + prior.source().file() + ":"
                                    + prior.source().line() + ")"));
                } else {
                    out.add(d);
                }
            }
        }
        return new Parsed(List.copyOf(out), List.copyOf(problems));
    }

    private static List<Directive> parseFile(String file, String text, List<Problem> problems) {
        List<Directive> out = new ArrayList<>();
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                .setAllowDuplicateKeys(true)
                .build();
        String[] lines = text.split("\n", -1);
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            while (composer.hasNext()) {
                Node doc = composer.next();
                if (doc instanceof ScalarNode s && s.getValue().isEmpty()) {
                    continue; // an empty document between '---' separators
                }
                new Reader(file, text, lines, problems).directive(doc).ifPresent(out::add);
            }
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
            problems.add(new Problem(
                    file,
                    m == null ? 0 : m.getLine() + 1,
                    m == null ? 0 : m.getColumn() + 1,
                    "YAML syntax error: " + firstLine(e.getProblem() == null ? e.getMessage() : e.getProblem())));
        } catch (YamlEngineException e) {
            problems.add(new Problem(file, 0, 0, "YAML error: " + firstLine(e.getMessage())));
        }
        return out;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Reads one document, collecting every problem rather than stopping at the first. */
    private static final class Reader {
        private final String file;
        private final String text;
        private final String[] lines;
        private final List<Problem> problems;
        private final int before;

        Reader(String file, String text, String[] lines, List<Problem> problems) {
            this.file = file;
            this.text = text;
            this.lines = lines;
            this.problems = problems;
            this.before = problems.size();
        }

        Optional<Directive> directive(Node doc) {
            if (!(doc instanceof MappingNode root)) {
                error(doc, "a directive must be a mapping with keys " + TOP_KEYS);
                return Optional.empty();
            }
            Map<String, NodeTuple> f = fields(root, TOP_KEYS, "directive");
            String id = requiredString(f, "id", root);
            if (id != null && !ID.matcher(id).matches()) {
                error(
                        f.get("id").getValueNode(),
                        "field 'id': '" + id
                                + "' is not a valid id (letters, digits, '.', '_', ':', '-'; at most 128 characters; starts with a letter or digit)");
            }
            String title = requiredString(f, "title", root);
            String authority = optionalString(f, "authority");
            String reference = optionalString(f, "reference");
            if (reference != null && !reference.isEmpty() && !isHttpUrl(reference)) {
                error(
                        f.get("reference").getValueNode(),
                        "field 'reference': '" + reference + "' is not an absolute http(s) URL");
            }
            Instant from = time(f, "effective_from", true, root);
            Instant until = time(f, "effective_until", false, root);
            if (from != null && until != null && !until.isAfter(from)) {
                error(
                        f.get("effective_until").getValueNode(),
                        "field 'effective_until': " + until + " must be after effective_from " + from);
            }
            List<String> models = null;
            List<String> capabilities = List.of("*");
            NodeTuple scope = f.get("scope");
            if (scope == null) {
                error(root, "missing required field 'scope' (with 'models')");
            } else if (scope.getValueNode() instanceof MappingNode sm) {
                Map<String, NodeTuple> sf = fields(sm, SCOPE_KEYS, "scope");
                if (!sf.containsKey("models")) {
                    error(sm, "missing required field 'scope.models' (a non-empty list of model globs)");
                } else {
                    models = stringList(sf.get("models"), "scope.models", true);
                }
                if (sf.containsKey("capabilities")) {
                    List<String> caps = stringList(sf.get("capabilities"), "scope.capabilities", true);
                    if (caps != null) {
                        capabilities = caps;
                    }
                }
            } else {
                error(scope.getValueNode(), "field 'scope': expected a mapping with keys " + SCOPE_KEYS);
            }
            String appliesTo = requiredString(f, "applies_to", root);
            if (appliesTo != null && appliesTo.isBlank()) {
                error(f.get("applies_to").getValueNode(), "field 'applies_to': the CEL expression is empty");
            }
            String effect = optionalString(f, "effect");
            if (effect != null && !effect.equals("deny")) {
                error(
                        f.get("effect").getValueNode(),
                        "field 'effect': '" + effect + "' is not supported (valid: deny)");
            }
            Directive.Mode mode = Directive.Mode.ENFORCE;
            String modeText = optionalString(f, "mode");
            if (modeText != null) {
                switch (modeText) {
                    case "enforce" -> mode = Directive.Mode.ENFORCE;
                    case "shadow" -> mode = Directive.Mode.SHADOW;
                    default ->
                        error(
                                f.get("mode").getValueNode(),
                                "field 'mode': '" + modeText + "' is not valid (valid: enforce, shadow)");
                }
            }
            List<String> exemptLicenses = List.of();
            NodeTuple exempt = f.get("exempt");
            if (exempt != null) {
                if (exempt.getValueNode() instanceof MappingNode em) {
                    Map<String, NodeTuple> ef = fields(em, EXEMPT_KEYS, "exempt");
                    if (ef.containsKey("licenses")) {
                        List<String> l = stringList(ef.get("licenses"), "exempt.licenses", false);
                        if (l != null) {
                            exemptLicenses = l;
                        }
                    }
                } else {
                    error(exempt.getValueNode(), "field 'exempt': expected a mapping with keys " + EXEMPT_KEYS);
                }
            }
            String message = optionalString(f, "message");
            boolean conditionReadable = appliesTo != null && !appliesTo.isBlank();
            Directive.Source source =
                    conditionReadable ? source(root, f.get("applies_to").getValueNode()) : null;
            if (problems.size() > before) {
                // The condition is type-checked even so: every error of the document in one pass.
                if (conditionReadable) {
                    problems.addAll(Policy.checkCondition(id == null ? "?" : id, appliesTo, source));
                }
                return Optional.empty();
            }
            return Optional.of(new Directive(
                    id,
                    title,
                    authority,
                    reference,
                    from,
                    until,
                    models,
                    capabilities,
                    appliesTo,
                    Directive.Effect.DENY,
                    exemptLicenses,
                    mode,
                    message,
                    source));
        }

        /** Where the document and its {@code applies_to} expression start, so CEL errors land on file lines. */
        private Directive.Source source(Node root, Node expr) {
            Mark em = expr.getStartMark().orElseThrow();
            ScalarStyle style = ((ScalarNode) expr).getScalarStyle();
            boolean block = style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED;
            int exprLine;
            int exprCol;
            if (block) {
                exprLine = firstContentLine(em.getLine() + 1);
                exprCol = indentation(exprLine) + 1;
            } else {
                exprLine = em.getLine() + 1;
                boolean quoted = style == ScalarStyle.SINGLE_QUOTED || style == ScalarStyle.DOUBLE_QUOTED;
                exprCol = em.getColumn() + 1 + (quoted ? 1 : 0);
            }
            Mark rm = root.getStartMark().orElseThrow();
            return new Directive.Source(
                    file, rm.getLine() + 1, rm.getColumn() + 1, exprLine, exprCol, block, documentText(root));
        }

        /** 1-based number of the first non-blank line at or after 0-based line {@code from}. */
        private int firstContentLine(int from) {
            for (int i = from; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    return i + 1;
                }
            }
            return from + 1;
        }

        private int indentation(int line1) {
            String l = lines[Math.min(line1, lines.length) - 1];
            int i = 0;
            while (i < l.length() && l.charAt(i) == ' ') {
                i++;
            }
            return i;
        }

        private String documentText(Node root) {
            int start = root.getStartMark().map(Mark::getIndex).orElse(0);
            int end = root.getEndMark().map(Mark::getIndex).orElse(text.length());
            // Code-point indices: convert to char offsets for text with astral characters.
            int s = text.offsetByCodePoints(0, Math.min(start, text.codePointCount(0, text.length())));
            int e = text.offsetByCodePoints(0, Math.min(end, text.codePointCount(0, text.length())));
            return text.substring(s, e);
        }

        private Map<String, NodeTuple> fields(MappingNode m, Set<String> allowed, String what) {
            Map<String, NodeTuple> out = new HashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    error(t.getKeyNode(), "keys in a " + what + " must be plain strings");
                    continue;
                }
                String key = k.getValue();
                if (!allowed.contains(key)) {
                    error(k, "unknown field '" + key + "' in " + what + " (valid: " + String.join(", ", allowed) + ")");
                } else if (out.putIfAbsent(key, t) != null) {
                    error(k, "duplicate field '" + key + "' in " + what);
                }
            }
            return out;
        }

        private String requiredString(Map<String, NodeTuple> f, String key, Node parent) {
            if (!f.containsKey(key)) {
                error(parent, "missing required field '" + key + "'");
                return null;
            }
            String s = optionalString(f, key);
            if (s != null && s.isBlank() && !key.equals("applies_to")) {
                error(f.get(key).getValueNode(), "field '" + key + "' must not be empty");
            }
            return s;
        }

        private String optionalString(Map<String, NodeTuple> f, String key) {
            NodeTuple t = f.get(key);
            if (t == null) {
                return null;
            }
            if (t.getValueNode() instanceof ScalarNode s && !isNullScalar(s)) {
                return s.getValue();
            }
            error(t.getValueNode(), "field '" + key + "': expected a string");
            return null;
        }

        private Instant time(Map<String, NodeTuple> f, String key, boolean required, Node parent) {
            String s = required ? requiredString(f, key, parent) : optionalString(f, key);
            if (s == null || s.isBlank()) {
                return null;
            }
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                error(
                        f.get(key).getValueNode(),
                        "field '" + key + "': '" + s
                                + "' is not an RFC 3339 timestamp with an offset (e.g. 2026-11-26T00:00:00Z)");
                return null;
            }
        }

        private List<String> stringList(NodeTuple t, String key, boolean nonEmpty) {
            if (!(t.getValueNode() instanceof SequenceNode seq)) {
                error(t.getValueNode(), "field '" + key + "': expected a list of strings");
                return null;
            }
            List<String> out = new ArrayList<>();
            for (Node n : seq.getValue()) {
                if (n instanceof ScalarNode s
                        && !isNullScalar(s)
                        && !s.getValue().isBlank()) {
                    out.add(s.getValue());
                } else {
                    error(n, "field '" + key + "': every item must be a non-empty string");
                }
            }
            if (nonEmpty && seq.getValue().isEmpty()) {
                error(seq, "field '" + key + "' must not be empty");
            }
            return out;
        }

        private static boolean isNullScalar(ScalarNode s) {
            return s.getScalarStyle() == ScalarStyle.PLAIN
                    && (s.getValue().isEmpty()
                            || s.getValue().equals("null")
                            || s.getValue().equals("~"));
        }

        private static boolean isHttpUrl(String s) {
            try {
                URI u = new URI(s);
                return u.isAbsolute()
                        && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                        && u.getHost() != null;
            } catch (Exception e) {
                return false;
            }
        }

        private void error(Node at, String message) {
            Mark m = at.getStartMark().orElse(null);
            problems.add(
                    new Problem(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, message));
        }
    }
}
