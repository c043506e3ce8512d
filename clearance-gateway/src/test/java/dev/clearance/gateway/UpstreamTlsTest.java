package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.core.Decision;
import dev.clearance.core.Request;
import dev.clearance.gateway.tls.ConfiguredFile;
import dev.clearance.gateway.tls.TestCa;
import dev.clearance.gateway.tls.TlsIdentity;
import dev.clearance.gateway.tls.TransportSecurity;
import dev.clearance.gateway.tls.UpstreamTls;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstreams over TLS: mutual TLS with the configured client certificate, and upstreams whose
 * certificate is refused, which never receive the request.
 */
class UpstreamTlsTest {
    private static final TestCa MODEL_SERVERS = TestCa.create("Lab Model Servers CA");
    private static final TestCa GATEWAYS = TestCa.create("Lab Gateways CA");

    @TempDir
    Path dir;

    private final ConcurrentLinkedQueue<Decision> recorded = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private DecisionRecorder recorder() {
        return (request, principal, decision) -> {
            requests.add(request);
            recorded.add(decision);
            return CompletableFuture.completedFuture(null);
        };
    }

    /** An upstream serving a certificate from the model servers' CA, requiring a client certificate from the gateways' CA. */
    private FakeUpstream mutualTlsUpstream(TestCa.Issued served) {
        FakeUpstream upstream = new FakeUpstream(Tls.builder()
                .privateKey(served.keys().getPrivate())
                .privateKeyCertChain(served.chain())
                .trust(List.of(GATEWAYS.certificate()))
                .clientAuth(TlsClientAuth.REQUIRED)
                .build());
        open.add(upstream);
        return upstream;
    }

    private FakeUpstream selfSignedUpstream() {
        TestCa.Issued self = TestCa.selfSigned("rogue.lab");
        FakeUpstream upstream = new FakeUpstream(Tls.builder()
                .privateKey(self.keys().getPrivate())
                .privateKeyCertChain(self.chain())
                .build());
        open.add(upstream);
        return upstream;
    }

    private ConfiguredFile modelServersCa() {
        return ConfiguredFile.of(MODEL_SERVERS.writeCertificate(dir.resolve("model-servers-ca.crt")));
    }

    private TlsIdentity.PemFiles gatewayClientCertificate(TestCa.Issued client) {
        return new TlsIdentity.PemFiles(
                ConfiguredFile.of(client.writeChain(dir.resolve("gateway-client.crt"))),
                ConfiguredFile.of(client.writeKey(dir.resolve("gateway-client.key"))));
    }

    /**
     * An upstream that also declares {@code model}, so a call to it reaches the forward stage even when
     * its {@code /v1/models} cannot be read (the catalogue's read is refused at TLS like any call).
     */
    private static GatewaySettings.Upstream declaring(
            String name, FakeUpstream server, String glob, String model, Optional<UpstreamTls> tls) {
        return new GatewaySettings.Upstream(
                name,
                server.baseUrl(),
                List.of(glob),
                GatewayFixture.UPSTREAM_KEY,
                List.of(model),
                true,
                null,
                List.of(),
                tls);
    }

    /** The fixture's gateway with these upstreams only. */
    private GatewayFixture gateway(FakeUpstream lab, GatewaySettings.Upstream... upstreams) throws Exception {
        GatewayFixture f = new GatewayFixture(
                GatewaySettings.GeoIp.NONE,
                recorder(),
                lab,
                s -> new GatewaySettings(s.server(), s.admin(), s.adminToken(), List.of(upstreams), s.geoIp()),
                Duration.ofSeconds(2));
        open.add(f);
        return f;
    }

    @Test
    void an_allowed_call_reaches_a_mutual_tls_upstream_presenting_the_configured_client_certificate() throws Exception {
        FakeUpstream lab = mutualTlsUpstream(MODEL_SERVERS.issue("vllm.lab"));
        UpstreamTls tls = new UpstreamTls(
                Optional.of(modelServersCa()), Optional.of(gatewayClientCertificate(GATEWAYS.issue("clearance-gw"))));
        GatewayFixture f = gateway(
                lab,
                new GatewaySettings.Upstream(
                        "lab", lab.baseUrl(), List.of("frontier-*"), GatewayFixture.UPSTREAM_KEY, Optional.of(tls)));

        // frontier-x is served only because the catalogue read the upstream's /v1/models over mutual TLS.
        FakeUpstream.Received listed = lab.modelLists.poll(5, TimeUnit.SECONDS);
        assertThat(listed).isNotNull();
        assertThat(listed.clientCertificate()).isEqualTo("CN=clearance-gw");

        HttpResponse<String> answer = f.post("/v1/chat/completions", f.aliceKey, GatewayFixture.chat("frontier-x"));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("hello from the test upstream");
        FakeUpstream.Received received = lab.next();
        assertThat(received.clientCertificate()).isEqualTo("CN=clearance-gw");
        assertThat(received.header("authorization")).isEqualTo("Bearer " + GatewayFixture.UPSTREAM_KEY);

        HttpResponse<String> stream =
                f.post("/v1/chat/completions", f.aliceKey, GatewayFixture.chatStream("frontier-x"));
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).contains("data: [DONE]");
    }

    @Test
    void an_upstream_whose_certificate_no_configured_ca_vouches_for_gets_nothing_and_the_failure_is_recorded()
            throws Exception {
        FakeUpstream lab = mutualTlsUpstream(MODEL_SERVERS.issue("vllm.lab"));
        FakeUpstream rogue = selfSignedUpstream();
        UpstreamTls tls = new UpstreamTls(
                Optional.of(modelServersCa()), Optional.of(gatewayClientCertificate(GATEWAYS.issue("clearance-gw"))));
        GatewayFixture f = gateway(
                lab,
                new GatewaySettings.Upstream(
                        "lab", lab.baseUrl(), List.of("frontier-*"), GatewayFixture.UPSTREAM_KEY, Optional.of(tls)),
                declaring("rogue", rogue, "other-*", "other-vendor-model", Optional.of(tls)));

        HttpResponse<String> answer =
                f.post("/v1/chat/completions", f.aliceKey, GatewayFixture.chat("other-vendor-model"));

        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(answer.body())
                .contains("\"code\":\"upstream_unreachable\"")
                .contains("upstream 'rogue' could not be reached: its TLS handshake failed");
        assertThat(rogue.received.poll(500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(rogue.modelLists)
                .as("the catalogue's reads are refused at TLS too")
                .isEmpty();
        String id = GatewayFixture.decisionId(answer).orElseThrow();
        assertThat(recorded).anySatisfy(d -> {
            assertThat(d.id()).isEqualTo(id);
            assertThat(d.allowed()).isTrue();
        });
        assertThat(recorded).anySatisfy(d -> {
            assertThat(d.id()).isEqualTo(id + ".upstream");
            assertThat(d.allowed()).isFalse();
            assertThat(d.directives()).isEmpty();
            assertThat(d.errors())
                    .singleElement()
                    .asString()
                    .startsWith("upstream 'rogue' unreachable: TLS handshake failed: ")
                    .contains("PKIX path building failed");
        });
        assertThat(requests).anySatisfy(r -> {
            assertThat(r.id()).isEqualTo(id + ".upstream");
            assertThat(r.model()).isEqualTo("other-vendor-model");
        });

        // The trusted upstream beside it is unaffected.
        assertThat(f.post("/v1/chat/completions", f.aliceKey, GatewayFixture.chat("frontier-x"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void without_tls_settings_an_https_upstream_is_checked_against_the_jdk_trust_store() throws Exception {
        FakeUpstream rogue = selfSignedUpstream();
        GatewayFixture f = gateway(rogue, declaring("rogue", rogue, "*", "frontier-x", Optional.empty()));

        assertThat(f.post("/v1/chat/completions", f.aliceKey, GatewayFixture.chat("frontier-x"))
                        .statusCode())
                .isEqualTo(502);
        assertThat(rogue.received.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void an_upstream_certificate_for_another_host_name_is_refused() throws Exception {
        Instant now = Instant.now();
        FakeUpstream lab = mutualTlsUpstream(MODEL_SERVERS.issue(
                "elsewhere.lab",
                now.minus(Duration.ofMinutes(5)),
                now.plus(Duration.ofDays(1)),
                TestCa.ec(),
                List.of("dns:elsewhere.lab")));
        UpstreamTls tls = new UpstreamTls(
                Optional.of(modelServersCa()), Optional.of(gatewayClientCertificate(GATEWAYS.issue("clearance-gw"))));
        GatewayFixture f = gateway(lab, declaring("lab", lab, "*", "frontier-x", Optional.of(tls)));

        HttpResponse<String> answer = f.post("/v1/chat/completions", f.aliceKey, GatewayFixture.chat("frontier-x"));
        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(lab.received.poll(500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(recorded)
                .anySatisfy(d -> assertThat(d.errors())
                        .anySatisfy(e ->
                                assertThat(e).contains("TLS handshake failed").contains("127.0.0.1")));
    }

    @Test
    void a_mutual_tls_upstream_refuses_a_gateway_that_presents_no_client_certificate() throws Exception {
        FakeUpstream lab = mutualTlsUpstream(MODEL_SERVERS.issue("vllm.lab"));
        UpstreamTls caOnly = new UpstreamTls(Optional.of(modelServersCa()), Optional.empty());
        GatewayFixture f = gateway(lab, declaring("lab", lab, "*", "frontier-x", Optional.of(caOnly)));

        assertThat(f.post("/v1/chat/completions", f.aliceKey, GatewayFixture.chat("frontier-x"))
                        .statusCode())
                .isEqualTo(502);
        assertThat(lab.received.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void a_client_certificate_replaced_on_disk_is_presented_on_new_connections() throws Exception {
        FakeUpstream lab = mutualTlsUpstream(MODEL_SERVERS.issue("vllm.lab"));
        TlsIdentity.PemFiles client = gatewayClientCertificate(GATEWAYS.issue("gateway-2026-01"));
        UpstreamTls tls = new UpstreamTls(Optional.of(modelServersCa()), Optional.of(client));
        try (TransportSecurity security =
                TransportSecurity.start(Map.of(), Map.of("lab", tls), Clock.systemUTC(), Duration.ofMillis(100))) {
            assertThat(presentedTo(lab, security.upstream(tls))).isEqualTo("CN=gateway-2026-01");

            TestCa.Issued next = GATEWAYS.issue("gateway-2026-02");
            next.writeKey(client.key().path());
            next.writeChain(client.certificate().path());
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            String presented;
            do {
                Thread.sleep(100);
                presented = presentedTo(lab, security.upstream(tls));
            } while (!presented.equals("CN=gateway-2026-02") && System.nanoTime() < deadline);
            assertThat(presented).isEqualTo("CN=gateway-2026-02");
            assertThat(security.sources())
                    .singleElement()
                    .satisfies(s -> assertThat(s.reloads()).isEqualTo(1));
        }
    }

    /** The client certificate the upstream sees on a new connection made with {@code context}. */
    private static String presentedTo(FakeUpstream upstream, javax.net.ssl.SSLContext context) throws Exception {
        try (HttpClient http = HttpClient.newBuilder()
                .sslContext(context)
                .sslParameters(TransportSecurity.clientParameters())
                .build()) {
            http.send(
                    HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/v1/models"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        FakeUpstream.Received read = upstream.modelLists.poll(5, TimeUnit.SECONDS);
        assertThat(read).as("the upstream received no request within 5 s").isNotNull();
        return read.clientCertificate();
    }
}
