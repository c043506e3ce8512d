package dev.clearance.cli.config;

import dev.clearance.gateway.GatewaySettings;
import dev.clearance.gateway.GatewaySettings.Unparseable;
import dev.clearance.gateway.IdentitySettings;
import dev.clearance.gateway.tls.ListenerTls;
import dev.clearance.gateway.tls.UpstreamTls;
import dev.clearance.log.LogOptions;
import dev.clearance.store.FleetView;
import dev.clearance.store.Store;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings in {@code clearance.yaml} (every key is described in docs/configuration.md).
 *
 * <p>Strict: an unknown key or a wrong type is an error naming {@code file:line:column} and the
 * valid keys. Scalar values may use {@code ${ENV}} and {@code ${ENV:-default}}; {@code $$} is a
 * literal {@code $}. Relative paths are resolved against the directory of the configuration file.
 * Secrets ({@link Secret}) never appear in {@link #toString()}.
 *
 * @param file        the file it was read from, empty for the embedded defaults
 * @param dataDir     where the embedded store and other local state live (default {@code ./data})
 * @param node        this node's name in logs and metrics (default: the host name)
 * @param directives  directives to load at start, if any
 * @param principals  principals to import at start, if any
 * @param classification how the gateway reads content ({@link ClassificationConfig#DEFAULT} without the section)
 * @param fleet       when other nodes count as stale and down in the fleet view
 * @param warmup      the longest {@code clearance serve} warms its compiled code on a scratch copy of the
 *                    node before it listens ({@code server.warmup}; zero: listen at once)
 * @param identity    OIDC issuers and SCIM ({@code auth:}, {@code scim:}); none by default
 */
public record ClearanceConfig(
        Optional<Path> file,
        Path dataDir,
        String node,
        Listener server,
        Admin admin,
        StoreSettings store,
        Optional<Path> directives,
        Optional<Path> principals,
        Optional<GeoIp> geoip,
        List<Upstream> upstreams,
        Optional<LogSettings> log,
        Optional<ScreeningSettings> screening,
        LifecycleSettings lifecycle,
        ClassificationConfig classification,
        FleetSettings fleet,
        IdentitySettings identity,
        Duration warmup) {

    /** The file the commands read when no {@code --config} is given and it exists. */
    public static final String DEFAULT_FILE = "clearance.yaml";

    static final Set<String> TOP_KEYS = keys(
            "data_dir",
            "node",
            "server",
            "admin",
            "store",
            "directives",
            "principals",
            "geoip",
            "upstreams",
            "log",
            "screening",
            "lifecycle",
            "classification",
            "fleet",
            "auth",
            "scim");
    static final Set<String> SERVER_KEYS = keys("host", "port", "tls", "warmup");
    static final Set<String> ADMIN_KEYS = keys("host", "port", "token", "tls");
    static final Set<String> STORE_KEYS = keys("url", "max_staleness", "on_unreachable");
    static final Set<String> FLEET_KEYS = keys("stale_after", "down_after");
    static final Set<String> GEOIP_KEYS = keys("database", "trusted_proxies", "unparseable");
    static final Set<String> LOG_KEYS = keys("signing_key", "origin", "record_timeout", "public", "group_commit_wait");
    static final Set<String> SCREENING_KEYS = keys("threshold", "lists");
    static final Set<String> SCREENING_LIST_KEYS = keys("kind", "path");
    static final Set<String> LIFECYCLE_KEYS = keys("two_person_rule");

    private static final String LOOPBACK = "127.0.0.1";

    /** {@code server.warmup} when not set: an upper bound; a warm-up ends once the JIT compiler settles. */
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(15);

    public static final Duration MAX_WARMUP = Duration.ofMinutes(5);

    /** A duration as this file writes it ({@code 500ms}, {@code 15s}, {@code 5m}), for messages naming a setting. */
    public static String written(Duration d) {
        return ConfigReader.written(d);
    }

    public ClearanceConfig {
        upstreams = List.copyOf(upstreams);
    }

    /**
     * Checks that every configured secret could be read; the serving process calls it before it
     * starts, the other commands never need them.
     *
     * @throws ConfigException naming every secret whose environment variable is not set
     */
    public void requireSecrets() {
        List<String> problems = new ArrayList<>();
        admin.token().flatMap(Secret::problem).ifPresent(problems::add);
        upstreams.forEach(u -> u.apiKey().flatMap(Secret::problem).ifPresent(problems::add));
        classification
                .external()
                .flatMap(e -> e.apiKey())
                .flatMap(Secret::problem)
                .ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** A host and port to listen on (port 0 picks a free port), and its TLS when it has some. */
    public record Listener(String host, int port, Optional<ListenerTls> tls) {
        /** A plain HTTP listener. */
        public Listener(String host, int port) {
            this(host, port, Optional.empty());
        }
    }

    /** The admin listener, its TLS (optionally requiring client certificates) and the bearer token every admin call must present. */
    public record Admin(String host, int port, Optional<Secret> token, Optional<ListenerTls> tls) {
        /**
         * The token, required when the admin API is served.
         *
         * @throws ConfigException when none is configured
         */
        public Secret requireToken() {
            return token.orElseThrow(() ->
                    new ConfigException("admin.token is required to serve the admin API: set it in the configuration, "
                            + "e.g. admin: { token: ${CLEARANCE_ADMIN_TOKEN} }"));
        }
    }

    /**
     * Where the store is ({@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...}) and what a node does
     * when it cannot confirm its policy with it.
     *
     * @param maxStaleness  how long a node may go without confirming its policy before it refuses model calls
     * @param onUnreachable {@code fail-closed} (refuse, the default) or {@code serve-cached} (keep serving)
     */
    public record StoreSettings(String url, Duration maxStaleness, OnUnreachable onUnreachable) {
        /** The defaults for everything but the URL. */
        public StoreSettings(String url) {
            this(url, GatewaySettings.Node.DEFAULT_MAX_STALENESS, OnUnreachable.FAIL_CLOSED);
        }

        /** Opens the store (and migrates it). */
        public Store open() {
            return Store.open(url);
        }

        /** The URL with any password replaced by {@code ***}. */
        public String redactedUrl() {
            return Store.redact(url);
        }

        @Override
        public String toString() {
            return "StoreSettings[url=" + redactedUrl() + ", maxStaleness=" + maxStaleness + ", onUnreachable="
                    + onUnreachable + "]";
        }
    }

    /** What a node does when it has not confirmed its policy with the store for {@code store.max_staleness}. */
    public enum OnUnreachable {
        /** Refuse model calls (503) and report not ready, until the store answers again. */
        FAIL_CLOSED,
        /** Keep answering from the last policy and keys, logged loudly: availability over enforcement. */
        SERVE_CACHED
    }

    /** When a node not seen counts as stale and as down in the fleet view. */
    public record FleetSettings(Duration staleAfter, Duration downAfter) {
        static final FleetSettings DEFAULTS =
                new FleetSettings(FleetView.Thresholds.DEFAULT.staleAfter(), FleetView.Thresholds.DEFAULT.downAfter());

        public FleetView.Thresholds thresholds() {
            return new FleetView.Thresholds(staleAfter, downAfter);
        }
    }

    /**
     * Country lookup for {@code request.country}: a MaxMind-format database, the proxies whose
     * {@code X-Forwarded-For} and {@code Forwarded} are believed, and what a forwarded client that is
     * not an address means ({@code deny}, the default, or {@code unknown}).
     */
    public record GeoIp(Path database, List<Cidr> trustedProxies, Unparseable unparseable) {
        public GeoIp {
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    /**
     * A model server. Its catalogue — the ids its {@code /v1/models} lists and the {@code model_ids}
     * declared here, kept to its {@code models} globs — says which models it serves; a model in several
     * catalogues is served by the first upstream.
     *
     * @param apiKeyEnv     the environment variable holding the key sent upstream, if any
     * @param apiKey        its value, read when the configuration was loaded
     * @param modelIds      ids it serves besides those it lists
     * @param listModels    whether its {@code /v1/models} is read (at start and every {@code modelsRefresh})
     * @param modelsRefresh how often it is read again
     * @param queryAllow    query parameters a call may carry to it; any other is refused
     * @param tls           the CA to trust and the client certificate to present, for an https:// upstream
     */
    public record Upstream(
            String name,
            URI baseUrl,
            List<String> models,
            Optional<String> apiKeyEnv,
            Optional<Secret> apiKey,
            List<String> modelIds,
            boolean listModels,
            Duration modelsRefresh,
            List<String> queryAllow,
            Optional<UpstreamTls> tls) {
        public Upstream {
            models = List.copyOf(models);
            modelIds = List.copyOf(modelIds);
            queryAllow = List.copyOf(queryAllow);
        }
    }

    /**
     * The decision log: the key file and the origin line of checkpoints, how long a decision's record
     * may take to be accepted before it counts as failed (an allowed answer is then withheld), and
     * whether its tlog-tiles resources ({@code /log/…} on the admin listener) are readable without the
     * admin token.
     */
    public record LogSettings(
            Optional<Path> signingKey,
            Optional<String> origin,
            Duration recordTimeout,
            boolean publicTiles,
            Duration groupCommitWait) {}

    /** Restricted-party screening: the match threshold and the lists to screen against. */
    public record ScreeningSettings(double threshold, List<ScreeningList> lists) {
        /** The threshold when none is configured. */
        // The threshold the screening evaluation was measured at (docs/benchmarks.md#screening).
        public static final double DEFAULT_THRESHOLD = dev.clearance.screening.ScreeningIndex.DEFAULT_THRESHOLD;

        public ScreeningSettings {
            lists = List.copyOf(lists);
        }
    }

    /** One screening list: its format ({@code kind}) and file. */
    public record ScreeningList(String kind, Path path) {}

    /** Directive lifecycle rules. */
    public record LifecycleSettings(boolean twoPersonRule) {}

    // ---- loading ----

    /**
     * The configuration the commands use: {@code explicit} when given, else {@code ./clearance.yaml}
     * when it exists, else the embedded defaults (data in {@code ./data}).
     */
    public static ClearanceConfig resolve(Path explicit) {
        if (explicit != null) {
            return load(explicit);
        }
        Path local = Path.of(DEFAULT_FILE);
        return Files.isRegularFile(local) ? load(local) : defaults(Path.of(""));
    }

    /** Reads a configuration file, interpolating the process environment. */
    public static ClearanceConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** Reads a configuration file, interpolating {@code env}. */
    public static ClearanceConfig load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the configuration: " + e);
        }
        return parse(file, text, env);
    }

    /** The embedded defaults, with relative paths resolved against {@code base}. */
    public static ClearanceConfig defaults(Path base) {
        return build(
                Optional.empty(),
                base.toAbsolutePath().normalize(),
                Optional.empty(),
                new ConfigReader("<defaults>", Map.of()),
                Map.of());
    }

    static ClearanceConfig parse(Path file, String text, Map<String, String> env) {
        ConfigReader reader = new ConfigReader(file.toString(), env);
        Optional<ConfigReader.Section> root = reader.root(text, TOP_KEYS);
        Path base = Optional.ofNullable(file.toAbsolutePath().normalize().getParent())
                .orElse(Path.of("/"));
        ClearanceConfig config = build(Optional.of(file), base, root, reader, env);
        if (!reader.problems.isEmpty()) {
            throw new ConfigException(reader.problems);
        }
        return config;
    }

    private static ClearanceConfig build(
            Optional<Path> file,
            Path base,
            Optional<ConfigReader.Section> root,
            ConfigReader reader,
            Map<String, String> env) {
        ConfigReader.Section top = root.orElse(null);
        Path dataDir = base.resolve(top == null ? "data" : top.string("data_dir", "data"))
                .normalize();
        String node = top == null ? null : top.string("node", null);
        if (node == null) {
            node = hostName(env);
        }

        Listener server = new Listener(LOOPBACK, 8080);
        Duration warmup = DEFAULT_WARMUP;
        Optional<ConfigReader.Section> s = top == null ? Optional.empty() : top.section("server", SERVER_KEYS);
        if (s.isPresent()) {
            server = new Listener(
                    s.get().string("host", LOOPBACK),
                    s.get().integer("port", 8080, 0, 65535),
                    TlsSections.listener(s.get(), TlsSections.SERVER_KEYS, base));
            warmup = s.get().duration("warmup", DEFAULT_WARMUP, Duration.ZERO, MAX_WARMUP);
        }

        Admin admin = new Admin(LOOPBACK, 8081, Optional.empty(), Optional.empty());
        Optional<ConfigReader.Section> a = top == null ? Optional.empty() : top.section("admin", ADMIN_KEYS);
        if (a.isPresent()) {
            admin = new Admin(
                    a.get().string("host", LOOPBACK),
                    a.get().integer("port", 8081, 0, 65535),
                    a.get().secret("token"),
                    TlsSections.listener(a.get(), TlsSections.ADMIN_KEYS, base));
        }

        StoreSettings store =
                StoreSection.store(top == null ? Optional.empty() : top.section("store", STORE_KEYS), dataDir, base);

        Optional<Path> directives = top == null
                ? Optional.empty()
                : Optional.ofNullable(top.string("directives", null))
                        .map(p -> base.resolve(p).normalize());
        Optional<Path> principals = top == null
                ? Optional.empty()
                : Optional.ofNullable(top.string("principals", null))
                        .map(p -> base.resolve(p).normalize());

        Optional<GeoIp> geoip = Optional.empty();
        Optional<ConfigReader.Section> g = top == null ? Optional.empty() : top.section("geoip", GEOIP_KEYS);
        if (g.isPresent()) {
            String db = g.get().requiredString("database");
            List<Cidr> proxies = new ArrayList<>();
            List<String> texts = g.get().strings("trusted_proxies", List.of());
            for (String t : texts) {
                try {
                    proxies.add(Cidr.parse(t.strip()));
                } catch (IllegalArgumentException e) {
                    g.get().problem("trusted_proxies", e.getMessage());
                }
            }
            Unparseable unparseable = switch (g.get().string("unparseable", "deny")) {
                case "deny" -> Unparseable.DENY;
                case "unknown" -> Unparseable.UNKNOWN;
                case String other -> {
                    g.get().problem("unparseable", "expected deny or unknown, got '" + other + "'");
                    yield Unparseable.DENY;
                }
            };
            if (db != null) {
                geoip = Optional.of(new GeoIp(base.resolve(db).normalize(), proxies, unparseable));
            }
        }

        List<Upstream> upstreams = top == null ? List.of() : UpstreamSections.read(top, base);

        Optional<LogSettings> log = top == null
                ? Optional.empty()
                : top.section("log", LOG_KEYS)
                        .map(l -> new LogSettings(
                                Optional.ofNullable(l.string("signing_key", null))
                                        .map(p -> base.resolve(p).normalize()),
                                Optional.ofNullable(l.string("origin", null)),
                                l.duration(
                                        "record_timeout",
                                        GatewaySettings.DEFAULT_RECORD_TIMEOUT,
                                        Duration.ofMillis(1),
                                        Duration.ofMinutes(10)),
                                l.bool("public", false),
                                l.duration(
                                        "group_commit_wait",
                                        LogOptions.DEFAULT_GROUP_COMMIT_WAIT,
                                        Duration.ZERO,
                                        LogOptions.MAX_GROUP_COMMIT_WAIT)));

        Optional<ScreeningSettings> screening = top == null
                ? Optional.empty()
                : top.section("screening", SCREENING_KEYS).map(sc -> {
                    double threshold = sc.number("threshold", ScreeningSettings.DEFAULT_THRESHOLD, 0.0, 1.0);
                    List<ScreeningList> lists = new ArrayList<>();
                    for (ConfigReader.Section l : sc.sections("lists", SCREENING_LIST_KEYS)) {
                        String kind = l.requiredString("kind");
                        String path = l.requiredString("path");
                        if (kind != null && path != null) {
                            lists.add(new ScreeningList(kind, base.resolve(path).normalize()));
                        }
                    }
                    return new ScreeningSettings(threshold, lists);
                });

        LifecycleSettings lifecycle = top == null
                ? new LifecycleSettings(false)
                : top.section("lifecycle", LIFECYCLE_KEYS)
                        .map(l -> new LifecycleSettings(l.bool("two_person_rule", false)))
                        .orElse(new LifecycleSettings(false));

        ClassificationConfig classification = top == null
                ? ClassificationConfig.DEFAULT
                : ClassificationConfig.read(top, base).orElse(ClassificationConfig.DEFAULT);
        FleetSettings fleet = top == null
                ? FleetSettings.DEFAULTS
                : top.section("fleet", FLEET_KEYS).map(StoreSection::fleet).orElse(FleetSettings.DEFAULTS);

        return new ClearanceConfig(
                file,
                dataDir,
                node,
                server,
                admin,
                store,
                directives,
                principals,
                geoip,
                upstreams,
                log,
                screening,
                lifecycle,
                classification,
                fleet,
                top == null ? IdentitySettings.NONE : IdentityConfig.read(top, admin.token()),
                warmup);
    }

    private static String hostName(Map<String, String> env) {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String h = env.get("HOSTNAME");
            return h == null || h.isBlank() ? "localhost" : h;
        }
    }

    static Set<String> keys(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }
}
