package dev.clearance.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * An amendment written as only the fields that change, applied to a directive document: the safe way
 * to amend (no hand-edited copy, no {@code sed}). The patch is a YAML mapping of directive fields; a
 * nested mapping ({@code scope}, {@code exempt}) is merged field by field and {@code null} removes a
 * field, as in JSON Merge Patch (RFC 7396). The document keeps its layout and comments: only the
 * fields the patch names are rewritten, fields it adds are appended. The result still has to pass
 * the parser and the compiler like any directive; {@code id} cannot change (a new id is a new directive).
 */
public final class DirectivePatch {
    private static final DumpSettings LEAVES_INLINE = DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.AUTO)
            .setWidth(100)
            .build();
    private static final DumpSettings BLOCK = DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setWidth(100)
            .build();

    private DirectivePatch() {}

    /**
     * The document with the patch applied.
     *
     * @throws PolicyException when the patch is not a mapping of directive fields (located in {@code patchFile}),
     *                         or the document is not one directive mapping
     */
    public static String apply(String documentFile, String document, String patchFile, String patch)
            throws PolicyException {
        MappingNode patchRoot = mapping(patchFile, patch, "a patch is a mapping of the directive fields to change");
        List<Problem> problems = new ArrayList<>();
        for (NodeTuple t : patchRoot.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            if (key == null || !DirectiveParser.TOP_KEYS.contains(key)) {
                problems.add(at(
                        patchFile,
                        t.getKeyNode(),
                        "unknown field " + (key == null ? "" : "'" + key + "' ") + "(valid: "
                                + String.join(", ", DirectiveParser.TOP_KEYS) + ")"));
            } else if (key.equals("id")) {
                problems.add(at(
                        patchFile,
                        t.getKeyNode(),
                        "'id' cannot be amended: a directive with a new id is a new directive"));
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        MappingNode docRoot = mapping(documentFile, document, "a directive is a mapping");
        Map<String, Object> original = values(document);
        Map<String, Object> changes = values(patch);

        List<String> lines = new ArrayList<>(Arrays.asList(document.split("\n", -1)));
        List<String> appended = new ArrayList<>();
        // Rewrite from the bottom up, so the line numbers of the fields above stay right.
        List<Map.Entry<String, Object>> edits = new ArrayList<>(changes.entrySet());
        edits.sort((a, b) -> Integer.compare(lineOf(docRoot, b.getKey()), lineOf(docRoot, a.getKey())));
        for (Map.Entry<String, Object> e : edits) {
            Object merged = merge(original.get(e.getKey()), e.getValue());
            List<String> text = merged == null ? List.of() : written(e.getKey(), merged);
            Optional<NodeTuple> field = field(docRoot, e.getKey());
            if (field.isEmpty()) {
                appended.addAll(0, text);
                continue;
            }
            int first = field.get().getKeyNode().getStartMark().orElseThrow().getLine();
            int last = lastLine(field.get().getValueNode(), first, lines);
            lines.subList(first, last + 1).clear();
            lines.addAll(first, text);
        }
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        lines.addAll(appended);
        return String.join("\n", lines) + "\n";
    }

    /** RFC 7396: a mapping merges into a mapping field by field, {@code null} removes, anything else replaces. */
    @SuppressWarnings("unchecked")
    static Object merge(Object target, Object patch) {
        if (!(patch instanceof Map<?, ?> p)) {
            return patch;
        }
        Map<String, Object> out =
                target instanceof Map<?, ?> t ? new LinkedHashMap<>((Map<String, Object>) t) : new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : p.entrySet()) {
            Object merged = merge(out.get(String.valueOf(e.getKey())), e.getValue());
            if (merged == null) {
                out.remove(String.valueOf(e.getKey()));
            } else {
                out.put(String.valueOf(e.getKey()), merged);
            }
        }
        return out;
    }

    /** {@code key: value} as YAML lines: lists of scalars inline ({@code [a, b]}), mappings as blocks. */
    private static List<String> written(String key, Object value) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(key, value);
        boolean scalar = !(value instanceof Map<?, ?>) && !(value instanceof List<?>);
        String text = new Dump(scalar ? BLOCK : LEAVES_INLINE).dumpToString(one);
        return List.of(text.stripTrailing().split("\n"));
    }

    /** The last line of a field's value, not counting blank or comment lines after it. */
    private static int lastLine(Node value, int first, List<String> lines) {
        Mark end = value.getEndMark().orElseThrow();
        int last = end.getColumn() == 0 ? end.getLine() - 1 : end.getLine();
        last = Math.min(Math.max(last, first), lines.size() - 1);
        while (last > first
                && (lines.get(last).isBlank() || lines.get(last).strip().startsWith("#"))) {
            last--;
        }
        return last;
    }

    private static int lineOf(MappingNode root, String key) {
        return field(root, key)
                .map(t -> t.getKeyNode().getStartMark().orElseThrow().getLine())
                .orElse(Integer.MAX_VALUE);
    }

    private static Optional<NodeTuple> field(MappingNode root, String key) {
        return root.getValue().stream()
                .filter(t ->
                        t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key))
                .findFirst();
    }

    private static MappingNode mapping(String file, String text, String expected) throws PolicyException {
        Optional<Node> node;
        try {
            node = new Compose(LoadSettings.builder().setLabel(file).build()).composeString(text);
        } catch (YamlEngineException e) {
            throw new PolicyException(new Problem(
                    file,
                    1,
                    1,
                    "YAML error: " + e.getMessage().lines().findFirst().orElse("")));
        }
        if (node.isEmpty() || !(node.get() instanceof MappingNode m)) {
            throw new PolicyException(new Problem(file, 1, 1, expected));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> values(String text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    private static Problem at(String file, Node node, String message) {
        Mark m = node.getStartMark().orElse(null);
        return new Problem(file, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, message);
    }
}
