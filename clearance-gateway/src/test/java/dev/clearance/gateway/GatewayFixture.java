package dev.clearance.gateway;

import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A real gateway on loopback in front of a {@link FakeUpstream}, with the frontier, capability and
 * location directives, and keys for alice (U.S. citizen), chen (Chinese citizen) and farah (licensed).
 */
final class GatewayFixture implements AutoCloseable {
    static final String ADMIN_TOKEN = "admin-token-for-tests";
    static final String UPSTREAM_KEY = "upstream-secret-key";
    /** How often the gateway looks at TLS files, unless a test gives its own. */
    static final Duration TLS_POLL = Duration.ofSeconds(2);

    /** The models the test upstream lists when the gateway starts, unless a test gives its own. */
    static final List<String> UPSTREAM_MODELS = List.of("frontier-x", "frontier-y", "open-small", "other-vendor-model");

    final FakeUpstream upstream;
    final Path dataDir;
    final Store store;
    final Gateway gateway;
    final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final String aliceKey;
    final String chenKey;
    final String farahKey;

    GatewayFixture() throws Exception {
        this(GatewaySettings.GeoIp.NONE);
    }

    GatewayFixture(GatewaySettings.GeoIp geoIp) throws Exception {
        this(geoIp, DecisionRecorder.NONE);
    }

    GatewayFixture(DecisionRecorder recorder) throws Exception {
        this(GatewaySettings.GeoIp.NONE, recorder);
    }

    GatewayFixture(GatewaySettings.GeoIp geoIp, DecisionRecorder recorder) throws Exception {
        this(geoIp, recorder, UPSTREAM_MODELS, List.of());
    }

    /**
     * @param upstreamModels what the test upstream lists as its models when the gateway reads them at start
     * @param queryAllow     the query parameters the test upstream takes
     */
    GatewayFixture(
            GatewaySettings.GeoIp geoIp,
            DecisionRecorder recorder,
            List<String> upstreamModels,
            List<String> queryAllow)
            throws Exception {
        this(
                geoIp,
                recorder,
                new FakeUpstream(),
                upstreamModels,
                queryAllow,
                settings -> settings,
                TLS_POLL,
                IdentitySettings.NONE,
                UnaryOperator.identity());
    }

    /** With OIDC issuers and SCIM as {@code identity} says. */
    GatewayFixture(IdentitySettings identity, DecisionRecorder recorder) throws Exception {
        this(
                GatewaySettings.GeoIp.NONE,
                recorder,
                new FakeUpstream(),
                UPSTREAM_MODELS,
                List.of(),
                settings -> settings,
                TLS_POLL,
                identity,
                UnaryOperator.identity());
    }

    /**
     * A gateway whose settings {@code adjust} may change (TLS, more upstreams), in front of {@code upstream}
     * listing {@link #UPSTREAM_MODELS}, looking at TLS files every {@code tlsPoll}.
     */
    GatewayFixture(
            GatewaySettings.GeoIp geoIp,
            DecisionRecorder recorder,
            FakeUpstream upstream,
            UnaryOperator<GatewaySettings> adjust,
            Duration tlsPoll)
            throws Exception {
        this(
                geoIp,
                recorder,
                upstream,
                UPSTREAM_MODELS,
                List.of(),
                adjust,
                tlsPoll,
                IdentitySettings.NONE,
                UnaryOperator.identity());
    }

    /** A node with these fleet settings, seeing the store through {@code seenBy} (e.g. one that can be cut off). */
    GatewayFixture(GatewaySettings.Node node, UnaryOperator<Store> seenBy, DecisionRecorder recorder) throws Exception {
        this(
                GatewaySettings.GeoIp.NONE,
                recorder,
                new FakeUpstream(),
                UPSTREAM_MODELS,
                List.of(),
                settings -> settings.withNode(node),
                TLS_POLL,
                IdentitySettings.NONE,
                seenBy);
    }

    private GatewayFixture(
            GatewaySettings.GeoIp geoIp,
            DecisionRecorder recorder,
            FakeUpstream upstream,
            List<String> upstreamModels,
            List<String> queryAllow,
            UnaryOperator<GatewaySettings> adjust,
            Duration tlsPoll,
            IdentitySettings identity,
            UnaryOperator<Store> seenBy)
            throws Exception {
        this.upstream = upstream;
        upstream.models = upstreamModels;
        dataDir = Files.createTempDirectory("clearance-gateway-test");
        store = Store.open("jdbc:sqlite:" + dataDir.resolve("clearance.db"));
        List<Directive> directives = new ArrayList<>();
        for (String file : List.of(
                "frontier-foreign-nationals.yaml",
                "offensive-cyber-capability.yaml",
                "sanctioned-locations.yaml",
                "proposed-remote-access-rule.yaml")) {
            directives.addAll(DirectiveParser.parse(file, resource("directives/" + file)));
        }
        Policy policy = Policy.compile(directives);
        store.policies()
                .activate(
                        dev.clearance.store.PolicyVersions.NONE,
                        policy.directives().stream()
                                .map(dev.clearance.store.DirectiveText::of)
                                .toList(),
                        policy.version(),
                        "test",
                        "fixture");
        for (String line : resource("principals.jsonl").split("\n")) {
            if (!line.isBlank()) {
                store.principals().put(Json.principal(line), "test");
            }
        }
        aliceKey = store.keys().create("alice", "test").key();
        chenKey = store.keys().create("chen", "test").key();
        farahKey = store.keys().create("farah", "test").key();
        gateway = Gateway.start(
                adjust.apply(settings(geoIp, queryAllow)),
                seenBy.apply(store),
                recorder,
                Gateway.Options.DEFAULT.withIdentity(identity),
                tlsPoll);
    }

    private GatewaySettings settings(GatewaySettings.GeoIp geoIp, List<String> queryAllow) {
        return new GatewaySettings(
                new GatewaySettings.Listener("127.0.0.1", 0),
                new GatewaySettings.Listener("127.0.0.1", 0),
                ADMIN_TOKEN,
                List.of(lab(queryAllow), DOWN),
                geoIp);
    }

    /** Another node on the same database (its own connections), with these fleet settings; the caller closes it. */
    Node another(GatewaySettings.Node node) {
        Store own = Store.open("jdbc:sqlite:" + dataDir.resolve("clearance.db"));
        try {
            return new Node(
                    own,
                    Gateway.start(
                            settings(GatewaySettings.GeoIp.NONE, List.of()).withNode(node),
                            own,
                            DecisionRecorder.NONE));
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /** A second gateway node and its store connections. */
    record Node(Store store, Gateway gateway) implements AutoCloseable {
        @Override
        public void close() {
            gateway.close();
            store.close();
        }
    }

    /** An upstream nobody can reach, whose one model is declared in the configuration. */
    static final GatewaySettings.Upstream DOWN = new GatewaySettings.Upstream(
            "down",
            URI.create("http://127.0.0.1:1"),
            List.of("offline-*"),
            "",
            List.of("offline-model"),
            false,
            null,
            List.of());

    /** The test upstream, listing its models, taking the given query parameters. */
    GatewaySettings.Upstream lab(List<String> queryAllow) {
        return new GatewaySettings.Upstream(
                "lab",
                upstream.baseUrl(),
                List.of("frontier-*", "open-*", "mythos-*"),
                UPSTREAM_KEY,
                List.of(),
                true,
                null,
                queryAllow);
    }

    static String resource(String name) {
        try (InputStream in = GatewayFixture.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path resourcePath(String name) {
        try {
            return Path.of(
                    GatewayFixture.class.getClassLoader().getResource(name).toURI());
        } catch (Exception e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    URI api(String path) {
        return URI.create(gateway.url() + path);
    }

    URI admin(String path) {
        return URI.create(gateway.adminUrl() + path);
    }

    /** POSTs a body with the key as a bearer token (no key when null) and extra header pairs. */
    HttpResponse<String> post(String path, String key, String body, String... headers) throws Exception {
        return http.send(postRequest(path, key, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest postRequest(String path, String key, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api(path))
                .timeout(Duration.ofSeconds(20))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(api(path))
                .timeout(Duration.ofSeconds(20))
                .GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An admin call with the admin token; {@code contentType} null sends no body. */
    HttpResponse<String> admin(String method, String path, String body, String contentType) throws Exception {
        return adminAs(ADMIN_TOKEN, method, path, body, contentType);
    }

    HttpResponse<String> adminAs(String token, String method, String path, String body, String contentType)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(admin(path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("content-type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Optional<String> decisionId(HttpResponse<?> r) {
        return r.headers().firstValue("clearance-decision-id");
    }

    static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static String chatStream(String model) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static String message(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Override
    public void close() {
        gateway.close();
        upstream.close();
        store.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
