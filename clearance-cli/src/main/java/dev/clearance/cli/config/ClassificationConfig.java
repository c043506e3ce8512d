package dev.clearance.cli.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code classification:} section: whether and how the gateway reads the content of model calls
 * (docs/configuration.md). Read strictly, like the rest of the file.
 *
 * @param enabled      {@code true}/{@code false}; empty (the default): on whenever the policy has a
 *                     directive whose hit depends on capabilities
 * @param capabilities operator capability files added to (or overriding) the shipped taxonomy
 * @param thresholds   per-capability threshold overrides, in (0, 1]
 * @param thresholdsAt where {@code thresholds} is, {@code file:line:column}, for errors found when the
 *                     classifier is loaded (an unknown capability)
 * @param cutAnswers   {@code output: cut} (the default) or {@code off}
 * @param external     an external classifier, if any
 */
public record ClassificationConfig(
        Optional<Boolean> enabled,
        Optional<Path> capabilities,
        Map<String, Double> thresholds,
        String thresholdsAt,
        boolean cutAnswers,
        Optional<External> external) {

    static final Set<String> KEYS = keys("enabled", "capabilities", "thresholds", "output", "external");
    static final Set<String> EXTERNAL_KEYS =
            keys("kind", "url", "model", "api_key_env", "timeout", "prompt", "labels", "threshold", "on_failure");
    private static final Pattern CAPABILITY = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

    /** With no {@code classification:} section: on whenever a directive depends on capabilities, answers cut. */
    public static final ClassificationConfig DEFAULT =
            new ClassificationConfig(Optional.empty(), Optional.empty(), Map.of(), "", true, Optional.empty());

    public ClassificationConfig {
        thresholds = Map.copyOf(thresholds);
    }

    /** Whether the operator asked for more than the default (then the classifier is loaded at start). */
    public boolean configured() {
        return enabled.orElse(false) || capabilities.isPresent() || !thresholds.isEmpty() || external.isPresent();
    }

    /**
     * {@code classification.external}: an HTTP classifier.
     *
     * @param kind       {@code chat} (a guard model behind an OpenAI-compatible chat endpoint) or {@code moderation}
     * @param apiKey     the value of {@code api_key_env} (unresolved when the variable is not set: an error
     *                   only for {@code serve}, see {@link ClearanceConfig#requireSecrets})
     * @param labels     label (chat: a word of the reply; moderation: a category) to capability
     * @param failClosed {@code on_failure: deny} (the default) or {@code allow}
     */
    public record External(
            String kind,
            URI url,
            String model,
            Optional<String> apiKeyEnv,
            Optional<Secret> apiKey,
            Duration timeout,
            String prompt,
            Map<String, String> labels,
            Optional<Double> threshold,
            boolean failClosed) {
        public External {
            labels = Map.copyOf(labels);
        }
    }

    static Optional<ClassificationConfig> read(ConfigReader.Section top, Path base) {
        return top.section("classification", KEYS).map(c -> {
            Optional<Boolean> enabled = c.has("enabled") ? Optional.of(c.bool("enabled", true)) : Optional.empty();
            Optional<Path> capabilities = Optional.ofNullable(c.string("capabilities", null))
                    .map(p -> base.resolve(p).normalize());
            capabilities.ifPresent(dir -> {
                if (!Files.isDirectory(dir)) {
                    c.problem("capabilities", "'" + dir + "' is not a directory of capability files");
                }
            });
            Map<String, Double> thresholds = new LinkedHashMap<>();
            String thresholdsAt = "";
            Optional<ConfigReader.Section> t = c.section("thresholds", ConfigReader.ANY_KEY);
            if (t.isPresent()) {
                thresholdsAt = t.get().location();
                for (String capability : t.get().keys()) {
                    double v = t.get().number(capability, Double.NaN, 0.0, 1.0);
                    if (v == 0.0) {
                        t.get().problem(capability, "expected a threshold above 0 and at most 1, got 0");
                    } else if (!Double.isNaN(v)) {
                        thresholds.put(capability.toLowerCase(Locale.ROOT), v);
                    }
                }
            }
            boolean cut = switch (c.string("output", "cut")) {
                case "cut" -> true;
                case "off" -> false;
                case String other -> {
                    c.problem("output", "expected cut or off, got '" + other + "'");
                    yield true;
                }
            };
            Optional<External> external = c.section("external", EXTERNAL_KEYS).flatMap(ClassificationConfig::external);
            return new ClassificationConfig(enabled, capabilities, thresholds, thresholdsAt, cut, external);
        });
    }

    private static Optional<External> external(ConfigReader.Section e) {
        String kind = e.string("kind", "chat");
        if (!kind.equals("chat") && !kind.equals("moderation")) {
            e.problem("kind", "expected chat or moderation, got '" + kind + "'");
        }
        URI uri = e.httpUrl("url");
        String keyEnv = e.string("api_key_env", null);
        Optional<Secret> key = e.secretFromEnv("api_key_env");
        Duration timeout = e.duration("timeout", Duration.ofSeconds(2), Duration.ofMillis(1), Duration.ofMinutes(10));
        String prompt = e.string("prompt", "");
        if (!prompt.isEmpty() && !kind.equals("chat")) {
            e.problem("prompt", "only a chat classifier takes a prompt template");
        } else if (!prompt.isEmpty() && !prompt.contains("{conversation}") && !prompt.contains("{request}")) {
            e.problem("prompt", "the template must contain {conversation} or {request}");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Optional<ConfigReader.Section> l = e.section("labels", ConfigReader.ANY_KEY);
        if (l.isEmpty()) {
            e.problem(
                    "labels",
                    "missing required key 'labels' (label or category: capability, e.g. { S14: offensive-cyber })");
        } else {
            for (String label : l.get().keys()) {
                String capability = l.get().string(label, null);
                if (capability != null
                        && !CAPABILITY
                                .matcher(capability.toLowerCase(Locale.ROOT))
                                .matches()) {
                    l.get().problem(label, "'" + capability + "' is not a capability id");
                } else if (capability != null) {
                    labels.put(label, capability.toLowerCase(Locale.ROOT));
                }
            }
            if (l.get().keys().isEmpty()) {
                e.problem("labels", "must map at least one label to a capability");
            }
        }
        Optional<Double> threshold = Optional.empty();
        if (e.has("threshold")) {
            if (!kind.equals("moderation")) {
                e.problem(
                        "threshold",
                        "only a moderation classifier takes a threshold (a chat guard model's labels are its verdict)");
            } else {
                threshold = Optional.of(e.number("threshold", 0.5, 0.0, 1.0));
            }
        }
        boolean failClosed = switch (e.string("on_failure", "deny")) {
            case "deny" -> true;
            case "allow" -> false;
            case String other -> {
                e.problem("on_failure", "expected deny (fail closed) or allow, got '" + other + "'");
                yield true;
            }
        };
        if (uri == null || labels.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new External(
                kind,
                uri,
                e.string("model", ""),
                Optional.ofNullable(keyEnv),
                key,
                timeout,
                prompt,
                labels,
                threshold,
                failClosed));
    }

    private static Set<String> keys(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }
}
