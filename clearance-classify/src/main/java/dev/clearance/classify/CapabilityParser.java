package dev.clearance.classify;

import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * Reads capability files with a strict schema, the way directives are read: an unknown key, a
 * missing required key or a wrong type is a {@link Problem} at {@code file:line:column}, every
 * problem is reported, and nothing loads while one remains.
 *
 * <p>A document is either a capability ({@code capability}, {@code version}, {@code description},
 * {@code subcapabilities}, {@code positives}, {@code hard_negatives}) or a set of negatives that hold
 * for every capability ({@code negatives}). An exemplar has {@code text} or {@code messages} (a list
 * of {@code {role, content}}), and a {@code sub} (positives) or a {@code topic} (negatives).
 */
public final class CapabilityParser {
    private static final List<String> CAPABILITY_KEYS =
            List.of("capability", "version", "description", "subcapabilities", "positives", "hard_negatives");
    private static final List<String> NEGATIVES_KEYS = List.of("negatives");
    private static final List<String> SUB_KEYS = List.of("id", "description");
    private static final List<String> POSITIVE_KEYS = List.of("text", "messages", "sub");
    private static final List<String> NEGATIVE_KEYS = List.of("text", "messages", "topic");
    private static final List<String> MESSAGE_KEYS = List.of("role", "content");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private CapabilityParser() {}

    /** Reads every {@code *.yaml} / {@code *.yml} file of a directory (sorted by name, not recursive). */
    public static Taxonomy load(Path dir) throws PolicyException {
        if (!Files.isDirectory(dir)) {
            throw new PolicyException(new Problem(dir.toString(), 0, 0, "not a directory of capability files"));
        }
        Map<String, String> files = new TreeMap<>();
        List<Problem> problems = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
                    try {
                        files.put(p.toString(), decode(Files.readAllBytes(p)));
                    } catch (CharacterCodingException e) {
                        problems.add(new Problem(p.toString(), 0, 0, "not valid UTF-8"));
                    }
                }
            }
        } catch (IOException e) {
            throw new PolicyException(new Problem(dir.toString(), 0, 0, "cannot read: " + e.getMessage()));
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        if (files.isEmpty()) {
            throw new PolicyException(new Problem(dir.toString(), 0, 0, "no *.yaml or *.yml capability files"));
        }
        return parse(files);
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(bytes))
                .toString();
    }

    /** Parses several files (name to text) as one taxonomy: capability ids unique across all. */
    public static Taxonomy parse(Map<String, String> files) throws PolicyException {
        List<Problem> problems = new ArrayList<>();
        Map<String, Capability> capabilities = new LinkedHashMap<>();
        List<Exemplar> negatives = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            new Reader(f.getKey(), problems).file(f.getValue(), capabilities, negatives);
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return new Taxonomy(List.copyOf(capabilities.values()), negatives);
    }

    /** Reads one file, collecting every problem rather than stopping at the first. */
    private static final class Reader {
        private final String file;
        private final List<Problem> problems;
        private final Map<String, Integer> firstLine = new HashMap<>();

        Reader(String file, List<Problem> problems) {
            this.file = file;
            this.problems = problems;
        }

        void file(String text, Map<String, Capability> capabilities, List<Exemplar> negatives) {
            LoadSettings settings = LoadSettings.builder()
                    .setLabel(file)
                    .setAllowDuplicateKeys(true)
                    .setCodePointLimit(64 * 1024 * 1024)
                    .build();
            try {
                Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
                while (composer.hasNext()) {
                    Node doc = composer.next();
                    if (doc instanceof ScalarNode s && s.getValue().isEmpty()) {
                        continue;
                    }
                    document(doc, capabilities, negatives);
                }
            } catch (MarkedYamlEngineException e) {
                Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
                String what = e.getProblem() == null ? e.getMessage() : e.getProblem();
                problems.add(new Problem(
                        file,
                        m == null ? 0 : m.getLine() + 1,
                        m == null ? 0 : m.getColumn() + 1,
                        "YAML syntax error: " + what.lines().findFirst().orElse("")));
            } catch (YamlEngineException e) {
                problems.add(new Problem(
                        file,
                        0,
                        0,
                        "YAML error: " + e.getMessage().lines().findFirst().orElse("")));
            }
        }

        private void document(Node doc, Map<String, Capability> capabilities, List<Exemplar> negatives) {
            if (!(doc instanceof MappingNode root)) {
                error(
                        doc,
                        "a capability file holds mappings with 'capability' (keys " + CAPABILITY_KEYS
                                + ") or with 'negatives'");
                return;
            }
            boolean isNegatives = root.getValue().stream()
                    .anyMatch(t -> t.getKeyNode() instanceof ScalarNode k
                            && k.getValue().equals("negatives"));
            if (isNegatives) {
                Map<String, NodeTuple> f = fields(root, NEGATIVES_KEYS, "negatives document");
                negatives.addAll(exemplars(f.get("negatives"), "negatives", NEGATIVE_KEYS, "topic", null, Set.of()));
                return;
            }
            capability(root).ifPresent(c -> {
                Capability prior = capabilities.putIfAbsent(c.id(), c);
                if (prior != null) {
                    error(
                            root,
                            "duplicate capability '" + c.id() + "' (first defined at " + prior.file() + ":"
                                    + firstLine.get(c.id()) + "; ids compare case-insensitively)");
                } else {
                    firstLine.put(c.id(), line(root));
                }
            });
        }

        private java.util.Optional<Capability> capability(MappingNode root) {
            int before = problems.size();
            Map<String, NodeTuple> f = fields(root, CAPABILITY_KEYS, "capability");
            String id = required(f, "capability", root);
            if (id != null) {
                id = id.toLowerCase(Locale.ROOT);
                if (!ID.matcher(id).matches()) {
                    error(
                            f.get("capability").getValueNode(),
                            "field 'capability': '" + id
                                    + "' is not a valid id (letters, digits, '-', '_'; at most 64; starts with a letter or digit)");
                }
            }
            String version = required(f, "version", root);
            String description = required(f, "description", root);
            List<Capability.Sub> subs = new ArrayList<>();
            NodeTuple subsNode = f.get("subcapabilities");
            if (subsNode != null && id != null) {
                for (MappingNode m : mappings(subsNode, "subcapabilities")) {
                    Map<String, NodeTuple> sf = fields(m, SUB_KEYS, "sub-capability");
                    String sid = required(sf, "id", m);
                    String sdesc = required(sf, "description", m);
                    if (sid != null) {
                        String full = subId(id, sid, sf.get("id").getValueNode());
                        if (full != null && subs.stream().anyMatch(s -> s.id().equals(full))) {
                            error(sf.get("id").getValueNode(), "duplicate sub-capability '" + full + "'");
                        } else if (full != null) {
                            subs.add(new Capability.Sub(full, sdesc));
                        }
                    }
                }
            }
            List<Exemplar> positives = List.of();
            if (!f.containsKey("positives")) {
                error(root, "missing required field 'positives' (a non-empty list of exemplars)");
            } else if (id != null) {
                Set<String> known = subs.stream().map(Capability.Sub::id).collect(java.util.stream.Collectors.toSet());
                positives = exemplars(f.get("positives"), "positives", POSITIVE_KEYS, "sub", id, known);
            }
            List<Exemplar> hard = f.containsKey("hard_negatives")
                    ? exemplars(f.get("hard_negatives"), "hard_negatives", NEGATIVE_KEYS, "topic", null, Set.of())
                    : List.of();
            if (problems.size() > before) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new Capability(id, version, description, subs, positives, hard, file));
        }

        /** A sub-capability id may be written in full ({@code cbrn.bio}) or short ({@code bio}). */
        private String subId(String capability, String sub, Node at) {
            String s = sub.toLowerCase(Locale.ROOT);
            String full = s.startsWith(capability + ".") ? s : capability + "." + s;
            if (!Pattern.matches("[a-z0-9][a-z0-9_.-]{0,127}", full) || full.endsWith(".")) {
                error(at, "sub-capability id '" + sub + "' is not valid (letters, digits, '-', '_', '.')");
                return null;
            }
            return full;
        }

        private List<Exemplar> exemplars(
                NodeTuple t, String key, List<String> allowed, String labelKey, String capability, Set<String> subs) {
            List<Exemplar> out = new ArrayList<>();
            if (!(t.getValueNode() instanceof SequenceNode seq)
                    || seq.getValue().isEmpty()) {
                error(t.getValueNode(), "field '" + key + "': expected a non-empty list of exemplars");
                return out;
            }
            for (Node n : seq.getValue()) {
                if (!(n instanceof MappingNode m)) {
                    error(n, "field '" + key + "': every item must be a mapping with 'text' or 'messages'");
                    continue;
                }
                int before = problems.size();
                Map<String, NodeTuple> f = fields(m, allowed, key.replace("_", " ") + " exemplar");
                Input input = null;
                if (f.containsKey("text") == f.containsKey("messages")) {
                    error(m, "an exemplar has exactly one of 'text' or 'messages'");
                } else if (f.containsKey("text")) {
                    String text = required(f, "text", m);
                    input = text == null ? null : Input.prompt(text);
                } else {
                    input = messages(f.get("messages"));
                }
                String label = optional(f, labelKey);
                if (label != null && capability != null) {
                    Node at = f.get(labelKey).getValueNode();
                    label = subId(capability, label, at);
                    if (label != null && !subs.contains(label)) {
                        error(
                                at,
                                "field 'sub': '" + label + "' is not one of this capability's subcapabilities "
                                        + new java.util.TreeSet<>(subs));
                    }
                }
                if (problems.size() == before && input != null) {
                    out.add(new Exemplar(input, label, file, line(n)));
                }
            }
            return out;
        }

        private Input messages(NodeTuple t) {
            List<Input.Part> parts = new ArrayList<>();
            List<MappingNode> ms = mappings(t, "messages");
            for (MappingNode m : ms) {
                Map<String, NodeTuple> f = fields(m, MESSAGE_KEYS, "message");
                String role = required(f, "role", m);
                String content = required(f, "content", m);
                Role r = null;
                if (role != null) {
                    try {
                        r = Role.valueOf(role.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        error(
                                f.get("role").getValueNode(),
                                "field 'role': '" + role + "' is not valid (valid: system, user, assistant, tool)");
                    }
                }
                if (r != null && content != null) {
                    parts.add(new Input.Part.Text(r, content));
                }
            }
            if (!ms.isEmpty() && parts.stream().noneMatch(p -> p.role() == Role.USER)) {
                error(t.getValueNode(), "field 'messages': a conversation needs at least one user message");
            }
            return new Input(parts);
        }

        private List<MappingNode> mappings(NodeTuple t, String key) {
            List<MappingNode> out = new ArrayList<>();
            if (!(t.getValueNode() instanceof SequenceNode seq)
                    || seq.getValue().isEmpty()) {
                error(t.getValueNode(), "field '" + key + "': expected a non-empty list of mappings");
                return out;
            }
            for (Node n : seq.getValue()) {
                if (n instanceof MappingNode m) {
                    out.add(m);
                } else {
                    error(n, "field '" + key + "': every item must be a mapping");
                }
            }
            return out;
        }

        private Map<String, NodeTuple> fields(MappingNode m, List<String> allowed, String what) {
            Map<String, NodeTuple> out = new HashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    error(t.getKeyNode(), "keys in a " + what + " must be plain strings");
                } else if (!allowed.contains(k.getValue())) {
                    error(
                            k,
                            "unknown field '" + k.getValue() + "' in " + what + " (valid: " + String.join(", ", allowed)
                                    + ")");
                } else if (out.putIfAbsent(k.getValue(), t) != null) {
                    error(k, "duplicate field '" + k.getValue() + "' in " + what);
                }
            }
            return out;
        }

        private String required(Map<String, NodeTuple> f, String key, Node parent) {
            if (!f.containsKey(key)) {
                error(parent, "missing required field '" + key + "'");
                return null;
            }
            String s = optional(f, key);
            if (s != null && s.isBlank()) {
                error(f.get(key).getValueNode(), "field '" + key + "' must not be empty");
                return null;
            }
            return s;
        }

        private String optional(Map<String, NodeTuple> f, String key) {
            NodeTuple t = f.get(key);
            if (t == null) {
                return null;
            }
            if (t.getValueNode() instanceof ScalarNode s
                    && !(s.getScalarStyle() == ScalarStyle.PLAIN
                            && (s.getValue().isEmpty()
                                    || s.getValue().equals("null")
                                    || s.getValue().equals("~")))) {
                return s.getValue();
            }
            error(t.getValueNode(), "field '" + key + "': expected a string");
            return null;
        }

        private static int line(Node n) {
            return n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
        }

        private void error(Node at, String message) {
            Mark m = at.getStartMark().orElse(null);
            problems.add(
                    new Problem(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, message));
        }
    }
}
