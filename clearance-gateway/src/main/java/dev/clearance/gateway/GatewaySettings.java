package dev.clearance.gateway;

import dev.clearance.core.ModelName;
import dev.clearance.gateway.tls.ListenerTls;
import dev.clearance.gateway.tls.UpstreamTls;
import dev.clearance.store.FleetView;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the gateway needs to start, as plain values. The CLI maps its configuration file onto
 * this record; the gateway itself never reads configuration.
 *
 * @param server     where the model API listens (loopback by default)
 * @param admin      where the admin API listens: a separate listener, never the public one
 * @param adminToken bearer token every admin call must present
 * @param upstreams  model servers, in order: a model listed by several is served by the first
 * @param geoIp      client-location settings
 * @param recordTimeout how long a decision's record may take to be accepted by the decision log; past
 *        it the record has failed and an allowed answer is withheld (null: {@link #DEFAULT_RECORD_TIMEOUT})
 * @param publicLog  whether the decision log's tlog-tiles resources ({@code /log/…} on the admin
 *        listener) may be read without the admin token, for auditors; everything else still needs it
 * @param node   this node in its fleet: its name, how stale its policy may get, when others count as down
 *        (null: {@link Node#DEFAULTS})
 */
public record GatewaySettings(
        Listener server,
        Listener admin,
        String adminToken,
        List<Upstream> upstreams,
        GeoIp geoIp,
        Duration recordTimeout,
        boolean publicLog,
        Node node) {

    /** The listeners' names, as logs and metrics give them. */
    public static final String SERVER = "server";

    public static final String ADMIN = "admin";

    /** The record timeout when none is configured: far above a healthy log's fsync, short enough to fail visibly. */
    public static final Duration DEFAULT_RECORD_TIMEOUT = Duration.ofSeconds(10);

    public GatewaySettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(admin, "admin");
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("admin.token must be set: the admin API never runs without a token");
        }
        upstreams = List.copyOf(upstreams);
        geoIp = geoIp == null ? GeoIp.NONE : geoIp;
        recordTimeout = recordTimeout == null ? DEFAULT_RECORD_TIMEOUT : recordTimeout;
        if (recordTimeout.isNegative() || recordTimeout.isZero()) {
            throw new IllegalArgumentException("log.record_timeout must be positive, was " + recordTimeout);
        }
        node = node == null ? Node.DEFAULTS : node;
    }

    /** Settings with the default record timeout and node settings, the log readable only with the admin token. */
    public GatewaySettings(Listener server, Listener admin, String adminToken, List<Upstream> upstreams, GeoIp geoIp) {
        this(server, admin, adminToken, upstreams, geoIp, null, false, null);
    }

    /** These settings for another node of the fleet, or with other fleet settings. */
    public GatewaySettings withNode(Node other) {
        return new GatewaySettings(server, admin, adminToken, upstreams, geoIp, recordTimeout, publicLog, other);
    }

    /**
     * This node in a fleet of nodes sharing one store.
     *
     * @param name         its name in the fleet view, the decision log and the metrics; unique per node
     * @param maxStaleness how long the node may go without confirming with the store that its policy is
     *                     current before it refuses model calls (503) and reports not ready
     * @param serveCached  the opt-out: keep answering from the last policy and keys when unconfirmed
     *                     ({@code store.on_unreachable: serve-cached}), logged loudly
     * @param thresholds   when a node not seen counts as stale and as down in the fleet view
     * @param logKey       the verifier key of this node's decision log, published for auditors (may be empty)
     * @param logDirectory where this node's decision log is, published for auditors (may be empty)
     */
    public record Node(
            String name,
            Duration maxStaleness,
            boolean serveCached,
            FleetView.Thresholds thresholds,
            String logKey,
            String logDirectory) {
        /** The bound when none is configured. */
        public static final Duration DEFAULT_MAX_STALENESS = Duration.ofSeconds(3);

        public static final Node DEFAULTS =
                new Node("gateway", DEFAULT_MAX_STALENESS, false, FleetView.Thresholds.DEFAULT, "", "");

        public Node {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("node must name this node, e.g. node: gw-eu-1");
            }
            maxStaleness = maxStaleness == null ? DEFAULT_MAX_STALENESS : maxStaleness;
            if (maxStaleness.isNegative() || maxStaleness.isZero()) {
                throw new IllegalArgumentException("store.max_staleness must be positive, was " + maxStaleness);
            }
            thresholds = thresholds == null ? FleetView.Thresholds.DEFAULT : thresholds;
            logKey = logKey == null ? "" : logKey;
            logDirectory = logDirectory == null ? "" : logDirectory;
        }
    }

    /**
     * A host and port to listen on; port 0 picks a free port.
     *
     * @param tls when present, the listener speaks TLS only (a plain HTTP request gets no answer)
     */
    public record Listener(String host, int port, Optional<ListenerTls> tls) {
        public Listener {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535, was " + port);
            }
            tls = tls == null ? Optional.empty() : tls;
        }

        /** A plain HTTP listener. */
        public Listener(String host, int port) {
            this(host, port, Optional.empty());
        }

        /** {@code https} or {@code http}. */
        public String scheme() {
            return tls.isPresent() ? "https" : "http";
        }
    }

    /**
     * A model server.
     *
     * @param baseUrl       the request path is appended to it ({@code http://127.0.0.1:9000} + {@code /v1/messages})
     * @param models        model globs this upstream may serve: its catalogue ids outside them are not its models
     * @param apiKey        the key the gateway sends upstream; empty to send none
     * @param modelIds      ids it serves besides those its {@code /v1/models} lists (the only ones when
     *     {@code listModels} is false)
     * @param listModels    whether its {@code /v1/models} is read at start and every {@code modelsRefresh}
     * @param modelsRefresh how often its {@code /v1/models} is read again (null: {@link #DEFAULT_MODELS_REFRESH})
     * @param queryAllow    query parameters a call may carry to it (e.g. {@code api-version}); any other
     *     parameter is refused with 400. Never {@code model}.
     * @param tls           the CA to trust and the client certificate to present, for an {@code https} base
     *     URL; empty for the JDK's trust store and no client certificate
     */
    public record Upstream(
            String name,
            URI baseUrl,
            List<String> models,
            String apiKey,
            List<String> modelIds,
            boolean listModels,
            Duration modelsRefresh,
            List<String> queryAllow,
            Optional<UpstreamTls> tls) {
        /** How often an upstream's model list is read again when nothing else is configured. */
        public static final Duration DEFAULT_MODELS_REFRESH = Duration.ofMinutes(1);

        public Upstream {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(baseUrl, "base_url");
            String s = baseUrl.toString();
            if (s.endsWith("/")) {
                baseUrl = URI.create(s.substring(0, s.length() - 1));
            }
            models = List.copyOf(models == null || models.isEmpty() ? List.of("*") : models);
            apiKey = apiKey == null ? "" : apiKey;
            modelIds = List.copyOf(modelIds == null ? List.of() : modelIds);
            for (String id : modelIds) {
                String problem = ModelName.problem(id);
                if (problem != null || ModelName.key(id).isEmpty()) {
                    throw new IllegalArgumentException("upstream " + name + ": model id '" + id + "' "
                            + (problem != null ? problem : "names no model"));
                }
            }
            modelsRefresh = modelsRefresh == null ? DEFAULT_MODELS_REFRESH : modelsRefresh;
            if (modelsRefresh.isNegative() || modelsRefresh.isZero()) {
                throw new IllegalArgumentException(
                        "upstream " + name + ": models_refresh must be positive, was " + modelsRefresh);
            }
            queryAllow = List.copyOf(queryAllow == null ? List.of() : queryAllow);
            for (String q : queryAllow) {
                if (ModelName.fold(q).equals("model")) {
                    throw new IllegalArgumentException("upstream " + name + ": query_allow must not allow '" + q
                            + "': the model is decided from the body alone");
                }
            }
            tls = tls == null ? Optional.empty() : tls;
            if (tls.isPresent() && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException(
                        "upstream " + name + ": TLS settings need an https:// base URL, got " + baseUrl);
            }
        }

        /** An upstream reached with the JDK's TLS defaults (or plain HTTP). */
        public Upstream(
                String name,
                URI baseUrl,
                List<String> models,
                String apiKey,
                List<String> modelIds,
                boolean listModels,
                Duration modelsRefresh,
                List<String> queryAllow) {
            this(name, baseUrl, models, apiKey, modelIds, listModels, modelsRefresh, queryAllow, Optional.empty());
        }

        /**
         * An upstream whose {@code /v1/models} is its catalogue, read every minute, with no query parameters,
         * reached with the given TLS settings.
         */
        public Upstream(String name, URI baseUrl, List<String> models, String apiKey, Optional<UpstreamTls> tls) {
            this(name, baseUrl, models, apiKey, List.of(), true, null, List.of(), tls);
        }

        /** An upstream whose {@code /v1/models} is its catalogue, read every minute, with no query parameters. */
        public Upstream(String name, URI baseUrl, List<String> models, String apiKey) {
            this(name, baseUrl, models, apiKey, List.of(), true, null, List.of());
        }

        /** Whether a model id is among the globs this upstream may serve (compared by {@link ModelName#key}). */
        public boolean serves(String model) {
            for (String glob : models) {
                if (ModelName.matches(glob, model)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            // The key never reaches a log line.
            return "Upstream[name=" + name + ", baseUrl=" + baseUrl + ", models=" + models + ", apiKey="
                    + (apiKey.isEmpty() ? "none" : "***") + ", modelIds=" + modelIds + ", listModels=" + listModels
                    + ", modelsRefresh=" + modelsRefresh + ", queryAllow=" + queryAllow + ", tls=" + tls + "]";
        }
    }

    /**
     * Client location.
     *
     * @param database       a MaxMind-format country database; empty to leave {@code request.country} empty
     * @param trustedProxies CIDRs whose {@code X-Forwarded-For} and {@code Forwarded} are believed
     * @param unparseable    what a forwarded hop from a trusted proxy that names no address means
     */
    public record GeoIp(Optional<Path> database, List<String> trustedProxies, Unparseable unparseable) {
        public static final GeoIp NONE = new GeoIp(Optional.empty(), List.of(), Unparseable.DENY);

        public GeoIp {
            database = database == null ? Optional.empty() : database;
            trustedProxies = List.copyOf(trustedProxies == null ? List.of() : trustedProxies);
            unparseable = unparseable == null ? Unparseable.DENY : unparseable;
        }

        /** Failing closed on a hop that names no address, the default. */
        public GeoIp(Optional<Path> database, List<String> trustedProxies) {
            this(database, trustedProxies, Unparseable.DENY);
        }
    }

    /**
     * What the gateway does when a trusted proxy forwards a client it cannot read as an address (a host
     * name, {@code unknown}, an obfuscated {@code _hidden}, broken syntax, two headers that disagree).
     */
    public enum Unparseable {
        /** Deny the request, with the reason in the decision's errors (the default). */
        DENY,
        /** Decide it with an unknown country and address, the reason still in the decision's errors. */
        UNKNOWN
    }

    @Override
    public String toString() {
        return "GatewaySettings[server=" + server + ", admin=" + admin + ", adminToken=***, upstreams=" + upstreams
                + ", geoIp=" + geoIp + ", recordTimeout=" + recordTimeout + ", publicLog=" + publicLog + ", node="
                + node + "]";
    }

    /** TLS by listener name ({@code server}, {@code admin}), for the listeners that have it. */
    public Map<String, ListenerTls> listenerTls() {
        Map<String, ListenerTls> out = new LinkedHashMap<>();
        server.tls().ifPresent(t -> out.put(SERVER, t));
        admin.tls().ifPresent(t -> out.put(ADMIN, t));
        return out;
    }

    /** TLS by upstream name, for the upstreams that have settings of their own. */
    public Map<String, UpstreamTls> upstreamTls() {
        Map<String, UpstreamTls> out = new LinkedHashMap<>();
        for (Upstream u : upstreams) {
            u.tls().ifPresent(t -> out.put(u.name(), t));
        }
        return out;
    }
}
