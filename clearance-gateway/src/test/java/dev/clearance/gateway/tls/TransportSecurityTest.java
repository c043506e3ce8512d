package dev.clearance.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportSecurityTest {
    private static final TestCa CA = TestCa.create("TransportSecurity Test CA");

    @TempDir
    Path dir;

    private ListenerTls listener(TestCa.Issued issued, String name) {
        return new ListenerTls(new TlsIdentity.PemFiles(
                new ConfiguredFile(issued.writeChain(dir.resolve(name + ".crt")), name + ".tls.cert"),
                new ConfiguredFile(issued.writeKey(dir.resolve(name + ".key")), name + ".tls.key")));
    }

    @Test
    void listeners_offer_tls_1_3_and_1_2_only_with_forward_secret_aead_suites() {
        try (TransportSecurity security = TransportSecurity.start(
                Map.of("server", listener(CA.issue("api"), "server")),
                Map.of(),
                Clock.systemUTC(),
                Duration.ofHours(1))) {
            SSLParameters p = security.listener("server").orElseThrow().sslParameters();
            assertThat(p.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(p.getCipherSuites())
                    .isNotEmpty()
                    .contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")
                    .allSatisfy(suite -> assertThat(suite)
                            .matches("TLS_(AES_\\d+_GCM_SHA\\d+|CHACHA20_POLY1305_SHA256"
                                    + "|ECDHE_(ECDSA|RSA)_WITH_(AES_\\d+_GCM_SHA\\d+|CHACHA20_POLY1305_SHA256))"));
            assertThat(p.getNeedClientAuth()).isFalse();
            assertThat(TransportSecurity.clientParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        }
    }

    @Test
    void every_problem_is_reported_at_once_and_nothing_starts() {
        TestCa.Issued api = CA.issue("api");
        ListenerTls server = new ListenerTls(new TlsIdentity.PemFiles(
                new ConfiguredFile(api.writeChain(dir.resolve("api.crt")), "server.tls.cert"),
                new ConfiguredFile(dir.resolve("missing.key"), "server.tls.key")));
        ListenerTls admin = new ListenerTls(
                listener(CA.issue("admin"), "admin").identity(),
                Optional.of(new ConfiguredFile(dir.resolve("missing-ca.crt"), "admin.tls.client_ca")));
        UpstreamTls upstream = new UpstreamTls(
                Optional.of(new ConfiguredFile(api.writeKey(dir.resolve("not-a-ca.pem")), "upstreams[0].tls.ca")),
                Optional.empty());

        Map<String, ListenerTls> listeners = Map.of("server", server, "admin", admin);
        Map<String, UpstreamTls> upstreams = Map.of("lab", upstream);
        assertThat(TransportSecurity.check(listeners, upstreams, Instant.now()))
                .containsExactlyInAnyOrder(
                        "server.tls.key: " + dir.resolve("missing.key") + ": no such file",
                        "admin.tls.client_ca: " + dir.resolve("missing-ca.crt") + ": no such file",
                        "upstreams[0].tls.ca: " + dir.resolve("not-a-ca.pem")
                                + ": no PEM certificate (-----BEGIN CERTIFICATE-----) in the file");
        assertThatThrownBy(() -> TransportSecurity.start(listeners, upstreams, Clock.systemUTC(), Duration.ofHours(1)))
                .isInstanceOf(TlsException.class)
                .satisfies(e -> assertThat(((TlsException) e).problems()).hasSize(3));
    }

    @Test
    void upstreams_with_equal_settings_share_one_context_and_each_has_its_metrics_source() {
        TestCa.Issued client = CA.issue("gateway-client");
        UpstreamTls tls = new UpstreamTls(
                Optional.of(ConfiguredFile.of(CA.writeCertificate(dir.resolve("ca.crt")))),
                Optional.of(new TlsIdentity.PemFiles(
                        ConfiguredFile.of(client.writeChain(dir.resolve("client.crt"))),
                        ConfiguredFile.of(client.writeKey(dir.resolve("client.key"))))));
        UpstreamTls caOnly = new UpstreamTls(Optional.of(ConfiguredFile.of(dir.resolve("ca.crt"))), Optional.empty());
        try (TransportSecurity security = TransportSecurity.start(
                Map.of(), Map.of("a", tls, "b", tls, "c", caOnly), Clock.systemUTC(), Duration.ofHours(1))) {
            assertThat(security.upstream(tls)).isSameAs(security.upstream(new UpstreamTls(tls.ca(), tls.identity())));
            assertThat(security.upstream(caOnly)).isNotSameAs(security.upstream(tls));
            assertThat(security.sources())
                    .extracting(
                            s -> s.kind() + " " + s.name() + " " + s.notAfter().isPresent())
                    .containsExactlyInAnyOrder("upstream a true", "upstream b true", "upstream c false");
        }
    }
}
