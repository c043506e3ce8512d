package dev.clearance.cli.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Walks a YAML node tree with strict keys and types, interpolating {@code ${ENV}} and
 * {@code ${ENV:-default}} in scalar values, and collecting every problem with its position.
 */
final class ConfigReader {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern UNPARSED_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*(?::-[^}\\n]*)?)}");
    // Stand-ins for the braces of ${...}: a plain "${X}" is not valid inside YAML flow style
    // ({ token: ${X} }), and same-length stand-ins keep every line:column exact.
    private static final char OPEN = '\uE000';
    private static final char CLOSE = '\uE001';
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    final String file;
    private final Map<String, String> env;
    final List<String> problems = new ArrayList<>();

    ConfigReader(String file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    /** A duration as this file writes it, in the largest unit that keeps it whole: {@code 10m}, {@code 10s}, {@code 10ms}. */
    static String written(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0ms";
        }
        return ms % 60_000 == 0 ? ms / 60_000 + "m" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** The document's top-level mapping; empty for an empty file. */
    Optional<Section> root(String text, Set<String> keys) {
        Optional<Node> doc;
        try {
            LoadSettings settings = LoadSettings.builder()
                    .setLabel(file)
                    .setAllowDuplicateKeys(false)
                    .build();
            doc = new Compose(settings)
                    .composeString(UNPARSED_VARIABLE
                            .matcher(text)
                            .replaceAll(m -> Matcher.quoteReplacement("$" + OPEN + m.group(1) + CLOSE)));
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
            String what = e.getProblem() == null ? e.getMessage() : e.getProblem();
            problems.add(at(m) + "YAML error: " + what.lines().findFirst().orElse(what));
            return Optional.empty();
        } catch (YamlEngineException e) {
            problems.add(
                    file + ": YAML error: " + e.getMessage().lines().findFirst().orElse(""));
            return Optional.empty();
        }
        if (doc.isEmpty() || isNull(doc.get())) {
            return Optional.empty();
        }
        if (!(doc.get() instanceof MappingNode m)) {
            error(doc.get(), "", "expected a mapping of settings (" + String.join(", ", keys) + ")");
            return Optional.empty();
        }
        return Optional.of(new Section(m, "", keys));
    }

    String at(Mark m) {
        return m == null ? file + ": " : file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": ";
    }

    void error(Node node, String path, String message) {
        problems.add(located(node, path, message));
    }

    /** {@code file:line:column: path: message} for {@code node}. */
    String located(Node node, String path, String message) {
        return at(node.getStartMark().orElse(null)) + (path.isEmpty() ? "" : path + ": ") + message;
    }

    static boolean isNull(Node node) {
        return node.getTag().equals(Tag.NULL);
    }

    private static String kindOf(Node node) {
        return switch (node) {
            case MappingNode m -> "a mapping";
            case SequenceNode s -> "a list";
            default -> "'" + ((ScalarNode) node).getValue().replace(OPEN, '{').replace(CLOSE, '}') + "'";
        };
    }

    /** The scalar's text with environment variables substituted; null (and a problem) when it is not a scalar. */
    String text(Node node, String path) {
        return text(node, path, problems);
    }

    /**
     * As {@link #text(Node, String)}, with an environment variable that is not set reported to
     * {@code unset} instead of the file's problems (secrets: see {@link Section#secret}).
     */
    private String text(Node node, String path, List<String> unset) {
        if (!(node instanceof ScalarNode s)) {
            error(node, path, "expected a single value, got " + kindOf(node));
            return null;
        }
        Matcher m = VARIABLE.matcher(s.getValue().replace(OPEN, '{').replace(CLOSE, '}'));
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String value = env.get(m.group(1));
                if (value == null && m.group(2) == null) {
                    unset.add(located(
                            node,
                            path,
                            "environment variable " + m.group(1) + " is not set (write ${" + m.group(1)
                                    + ":-default} to give a default)"));
                    ok = false;
                    replacement = "";
                } else {
                    replacement = value != null ? value : m.group(2);
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return ok ? out.toString() : null;
    }

    /** For a mapping whose keys are names the file chooses (capability ids, labels): any key is valid. */
    static final Set<String> ANY_KEY = Set.of();

    /** A mapping whose keys must be among {@code keys} ({@link #ANY_KEY}: any key). */
    final class Section {
        final Node node;
        final String path;
        private final Map<String, Node> values = new LinkedHashMap<>();

        Section(MappingNode node, String path, Set<String> keys) {
            this.node = node;
            this.path = path;
            Map<String, Node> seen = new LinkedHashMap<>();
            for (NodeTuple t : node.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                Node prior = key == null ? null : seen.putIfAbsent(key, t.getKeyNode());
                if (prior != null) {
                    error(
                            t.getKeyNode(),
                            path,
                            "duplicate key '" + key + "' (first at line "
                                    + prior.getStartMark()
                                            .map(m -> m.getLine() + 1)
                                            .orElse(0) + ")");
                } else if (key == null || (keys != ANY_KEY && !keys.contains(key))) {
                    error(
                            t.getKeyNode(),
                            path,
                            "unknown key " + (key == null ? kindOf(t.getKeyNode()) : "'" + key + "'") + " (valid keys"
                                    + (path.isEmpty() ? "" : " in " + path) + ": " + String.join(", ", keys) + ")");
                } else if (!isNull(t.getValueNode())) {
                    values.put(key, t.getValueNode());
                }
            }
        }

        private String child(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        /** The keys present (with a value), in file order. */
        Set<String> keys() {
            return values.keySet();
        }

        /** Where this mapping starts, as {@code file:line:column}. */
        String location() {
            String at = at(node.getStartMark().orElse(null));
            return at.substring(0, at.length() - 2);
        }

        /** A string value, or {@code fallback} when absent. An empty string after interpolation counts as absent. */
        String string(String key, String fallback) {
            Node n = values.get(key);
            if (n == null) {
                return fallback;
            }
            String s = text(n, child(key));
            return s == null || s.isEmpty() ? fallback : s;
        }

        /**
         * A secret, or empty when absent. An environment variable in it that is not set is not a
         * problem of the file: it makes an unresolved {@link Secret}, an error only for the command that
         * needs its value ({@code serve}), so every other command works without it.
         */
        Optional<Secret> secret(String key) {
            Node n = values.get(key);
            if (n == null) {
                return Optional.empty();
            }
            List<String> unset = new ArrayList<>();
            String s = text(n, child(key), unset);
            if (!unset.isEmpty()) {
                return Optional.of(Secret.unresolved(unset.get(0)));
            }
            return s == null || s.isEmpty() ? Optional.empty() : Optional.of(new Secret(s));
        }

        /** {@code message} located at {@code key}'s value (or this section), without recording it. */
        String located(String key, String message) {
            return ConfigReader.this.located(nodeOf(key), child(key), message);
        }

        /** A string that must be present and not empty. */
        String requiredString(String key) {
            Node n = values.get(key);
            if (n == null) {
                ConfigReader.this.error(node, path, "missing required key '" + key + "'");
                return null;
            }
            String s = text(n, child(key));
            if (s != null && s.isEmpty()) {
                ConfigReader.this.error(n, child(key), "must not be empty");
                return null;
            }
            return s;
        }

        int integer(String key, int fallback, int min, int max) {
            return scalar(
                    key,
                    fallback,
                    s -> number(s, Integer::valueOf, v -> v >= min && v <= max),
                    "an integer from " + min + " to " + max);
        }

        double number(String key, double fallback, double min, double max) {
            return scalar(
                    key,
                    fallback,
                    s -> number(s, Double::valueOf, v -> v >= min && v <= max),
                    "a number from " + min + " to " + max);
        }

        /** {@code s} read by {@code parse}, or null when it is not a number or not {@code valid}. */
        private static <T> T number(String s, Function<String, T> parse, Predicate<T> valid) {
            try {
                T v = parse.apply(s);
                return valid.test(v) ? v : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /**
         * A duration written as a whole number and a unit, {@code ms}, {@code s} or {@code m} (e.g.
         * {@code 10s}, {@code 500ms}), from {@code min} to {@code max}; {@code fallback} when absent.
         */
        Duration duration(String key, Duration fallback, Duration min, Duration max) {
            return scalar(
                    key,
                    fallback,
                    s -> {
                        Matcher m = DURATION.matcher(s);
                        if (!m.matches()) {
                            return null;
                        }
                        long amount = Long.parseLong(m.group(1)); // at most nine digits
                        Duration d = switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(amount);
                            case "s" -> Duration.ofSeconds(amount);
                            default -> Duration.ofMinutes(amount);
                        };
                        return d.compareTo(min) >= 0 && d.compareTo(max) <= 0 ? d : null;
                    },
                    "a duration from " + written(min) + " to " + written(max) + " (e.g. 10s, 500ms, 1m)");
        }

        boolean bool(String key, boolean fallback) {
            return scalar(
                    key,
                    fallback,
                    s -> switch (s) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        default -> null;
                    },
                    "true or false");
        }

        /**
         * A single value read by {@code parse} from its stripped text, which answers null for a value
         * that is not valid (reported as "expected {@code expected}, got '…'"); {@code fallback} when
         * absent or invalid.
         */
        private <T> T scalar(String key, T fallback, Function<String, T> parse, String expected) {
            Node n = values.get(key);
            if (n == null) {
                return fallback;
            }
            String s = text(n, child(key));
            if (s == null) {
                return fallback;
            }
            T v = parse.apply(s.strip());
            if (v == null) {
                error(n, child(key), "expected " + expected + ", got '" + s + "'");
                return fallback;
            }
            return v;
        }

        /**
         * A required http:// or https:// URL with a host; null (and a problem) when it is missing or
         * not one.
         */
        URI httpUrl(String key) {
            String text = requiredString(key);
            if (text == null) {
                return null;
            }
            try {
                URI uri = new URI(text);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
                problem(key, "expected an http:// or https:// URL with a host, got '" + text + "'");
            } catch (URISyntaxException e) {
                problem(key, "not a URL: " + e.getMessage());
            }
            return null;
        }

        /**
         * The secret held by the environment variable this key names ({@code api_key_env}); empty when
         * the key is absent, or (with a problem) when the name is not one. A variable that is not set is
         * not a problem of the file, as with {@link #secret}: it makes an unresolved {@link Secret}, an
         * error only for the command that needs its value ({@code serve}).
         */
        Optional<Secret> secretFromEnv(String key) {
            String name = string(key, null);
            if (name == null) {
                return Optional.empty();
            }
            if (!ENV_NAME.matcher(name).matches()) {
                problem(key, "'" + name + "' is not an environment variable name");
                return Optional.empty();
            }
            String value = env.get(name);
            return Optional.of(
                    value == null || value.isEmpty()
                            ? Secret.unresolved(located(key, "environment variable " + name + " is not set"))
                            : new Secret(value));
        }

        /** A list of strings; {@code fallback} when absent. */
        List<String> strings(String key, List<String> fallback) {
            Node n = values.get(key);
            if (n == null) {
                return fallback;
            }
            if (!(n instanceof SequenceNode seq)) {
                error(n, child(key), "expected a list, got " + kindOf(n));
                return fallback;
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                String s = text(seq.getValue().get(i), child(key) + "[" + i + "]");
                if (s != null && s.isEmpty()) {
                    error(seq.getValue().get(i), child(key) + "[" + i + "]", "must not be empty");
                } else if (s != null) {
                    out.add(s);
                }
            }
            return out;
        }

        /** A nested mapping, or empty when absent. */
        Optional<Section> section(String key, Set<String> keys) {
            Node n = values.get(key);
            if (n == null) {
                return Optional.empty();
            }
            if (!(n instanceof MappingNode m)) {
                error(n, child(key), "expected a mapping (" + String.join(", ", keys) + "), got " + kindOf(n));
                return Optional.empty();
            }
            return Optional.of(new Section(m, child(key), keys));
        }

        /** A list of mappings. */
        List<Section> sections(String key, Set<String> keys) {
            Node n = values.get(key);
            if (n == null) {
                return List.of();
            }
            if (!(n instanceof SequenceNode seq)) {
                error(n, child(key), "expected a list of mappings (" + String.join(", ", keys) + "), got " + kindOf(n));
                return List.of();
            }
            List<Section> out = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                if (item instanceof MappingNode m) {
                    out.add(new Section(m, child(key) + "[" + i + "]", keys));
                } else {
                    error(
                            item,
                            child(key) + "[" + i + "]",
                            "expected a mapping (" + String.join(", ", keys) + "), got " + kindOf(item));
                }
            }
            return out;
        }

        /** The node of a key, for locating a problem found after reading it. */
        Node nodeOf(String key) {
            return values.getOrDefault(key, node);
        }

        /** A problem with a key's value, or with the section itself when {@code key} is empty. */
        void problem(String key, String message) {
            ConfigReader.this.error(nodeOf(key), key.isEmpty() ? path : child(key), message);
        }

        /** How messages name a key's setting: its position and dotted path, e.g. {@code clearance.yaml:3:22: server.tls.key}. */
        String setting(String key) {
            return at(nodeOf(key).getStartMark().orElse(null)) + child(key);
        }
    }
}
