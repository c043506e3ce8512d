package dev.clearance.cli.config;

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

/** The {@code upstreams:} list of {@code clearance.yaml}, each problem located. */
final class UpstreamSection {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private UpstreamSection() {}

    /**
     * Every upstream that names itself and a usable base URL; an upstream with a problem is reported
     * at its position and left out.
     *
     * @param env the environment the upstreams' {@code api_key_env} variables are read from
     */
    static List<ClearanceConfig.Upstream> upstreams(
            List<ConfigReader.Section> sections, Path base, Map<String, String> env) {
        List<ClearanceConfig.Upstream> upstreams = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigReader.Section u : sections) {
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
                    u.problem("api_key_env", "environment variable " + keyEnv + " is not set");
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
                upstreams.add(new ClearanceConfig.Upstream(
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
