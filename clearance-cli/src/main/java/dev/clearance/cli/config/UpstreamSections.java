package dev.clearance.cli.config;

import dev.clearance.cli.config.ClearanceConfig.Upstream;
import dev.clearance.core.ModelName;
import dev.clearance.gateway.GatewaySettings;
import dev.clearance.gateway.tls.UpstreamTls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code upstreams} list of {@code clearance.yaml}: each model server's name and base URL, the
 * model globs it serves, its API key (named by an environment variable; an unset one is an error only where the key is used), how its models are
 * known, the query parameters it takes and its {@code tls}. Read as strictly as the rest of the file.
 */
final class UpstreamSections {
    static final Set<String> KEYS = ClearanceConfig.keys(
            "name",
            "base_url",
            "models",
            "api_key_env",
            "model_ids",
            "list_models",
            "models_refresh",
            "query_allow",
            "tls");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private UpstreamSections() {}

    /** Every well-formed upstream; each problem is reported on its line, and that upstream left out. */
    static List<Upstream> read(ConfigReader.Section top, Path base, Map<String, String> env) {
        List<Upstream> upstreams = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigReader.Section u : top.sections("upstreams", KEYS)) {
            String name = u.requiredString("name");
            String baseUrl = u.requiredString("base_url");
            List<String> models = u.strings("models", List.of("*"));
            if (models.isEmpty()) {
                u.problem("models", "must list at least one model glob (\"*\" for every model)");
            }
            String keyEnv = u.string("api_key_env", null);
            Optional<Secret> key = Optional.empty();
            if (keyEnv != null) {
                if (!ENV_NAME.matcher(keyEnv).matches()) {
                    u.problem("api_key_env", "'" + keyEnv + "' is not an environment variable name");
                } else if (env.get(keyEnv) == null || env.get(keyEnv).isEmpty()) {
                    // Only serve needs the key: the other commands work without it (see Secret).
                    key = Optional.of(Secret.unresolved(
                            u.located("api_key_env", "environment variable " + keyEnv + " is not set")));
                } else {
                    key = Optional.of(new Secret(env.get(keyEnv)));
                }
            }
            if (name != null && !names.add(name)) {
                u.problem("name", "duplicate upstream name '" + name + "'");
            }
            URI uri = null;
            if (baseUrl != null) {
                try {
                    uri = new URI(baseUrl);
                    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                        u.problem("base_url", "expected an http:// or https:// URL with a host, got '" + baseUrl + "'");
                        uri = null;
                    }
                } catch (URISyntaxException e) {
                    u.problem("base_url", "not a URL: " + e.getMessage());
                }
            }
            Optional<UpstreamTls> tls = TlsSections.upstream(u, base);
            if (tls.isPresent() && uri != null && !"https".equals(uri.getScheme())) {
                u.problem("tls", "tls applies to an https:// base_url only, got '" + baseUrl + "'");
                tls = Optional.empty();
            }
            List<String> modelIds = u.strings("model_ids", List.of());
            for (String id : modelIds) {
                String problem = ModelName.problem(id);
                if (problem != null || ModelName.key(id).isEmpty()) {
                    u.problem("model_ids", "model id '" + id + "' " + (problem != null ? problem : "names no model"));
                }
            }
            boolean listModels = u.bool("list_models", true);
            Duration modelsRefresh = u.duration(
                    "models_refresh",
                    GatewaySettings.Upstream.DEFAULT_MODELS_REFRESH,
                    Duration.ofSeconds(1),
                    Duration.ofHours(24));
            List<String> queryAllow = u.strings("query_allow", List.of());
            for (String q : queryAllow) {
                if (ModelName.fold(q).equals("model")) {
                    u.problem("query_allow", "'" + q + "' cannot be allowed: the model is decided from the body alone");
                }
            }
            if (!listModels && modelIds.isEmpty()) {
                u.problem(
                        "list_models",
                        "with list_models: false the upstream serves only its model_ids, and none are given");
            }
            if (name != null && uri != null) {
                upstreams.add(new Upstream(
                        name,
                        uri,
                        models,
                        Optional.ofNullable(keyEnv),
                        key,
                        modelIds,
                        listModels,
                        modelsRefresh,
                        queryAllow,
                        tls));
            }
        }
        return upstreams;
    }
}
