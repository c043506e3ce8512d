package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.gateway.tls.ConfiguredFile;
import dev.clearance.gateway.tls.ListenerTls;
import dev.clearance.gateway.tls.TestCa;
import dev.clearance.gateway.tls.TlsIdentity;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both listeners over TLS: what they serve, what they refuse, and certificates replaced while serving. */
class ListenerTlsTest {
    private static final TestCa CA = TestCa.create("Clearance Test CA");
    private static final TestCa CLIENT_CA = TestCa.create("Clearance Operators CA");
    private static final Duration POLL = Duration.ofMillis(100);

    @TempDir
    Path dir;

    private ListenerTls pem(String listener, TestCa.Issued issued, Optional<ConfiguredFile> clientCa) {
        Path crt = issued.writeChain(dir.resolve(listener + "/tls.crt"));
        Path key = issued.writeKey(dir.resolve(listener + "/tls.key"));
        return new ListenerTls(
                new TlsIdentity.PemFiles(
                        new ConfiguredFile(crt, listener + ".tls.cert"),
                        new ConfiguredFile(key, listener + ".tls.key")),
                clientCa);
    }

    private GatewayFixture gateway(ListenerTls server, ListenerTls admin) throws Exception {
        return new GatewayFixture(
                GatewaySettings.GeoIp.NONE,
                DecisionRecorder.NONE,
                new FakeUpstream(),
                s -> new GatewaySettings(
                        new GatewaySettings.Listener("127.0.0.1", 0, Optional.ofNullable(server)),
                        new GatewaySettings.Listener("127.0.0.1", 0, Optional.ofNullable(admin)),
                        s.adminToken(),
                        s.upstreams(),
                        s.geoIp()),
                POLL);
    }

    private static SSLContext trustingCa() {
        return TestCa.trustingOnly(CA.certificate());
    }

    private static HttpResponse<String> adminGet(GatewayFixture f, SSLContext client, String token, String path)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(client).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(f.admin(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void both_listeners_serve_the_configured_certificate_and_plain_http_gets_no_answer() throws Exception {
        TestCa.Issued api = CA.issue("api.clearance.test");
        TestCa.Issued admin = CA.issue("admin.clearance.test");
        try (GatewayFixture f = gateway(pem("server", api, Optional.empty()), pem("admin", admin, Optional.empty()))) {
            assertThat(f.gateway.url()).startsWith("https://");
            assertThat(TlsProbe.served(f.gateway.port(), trustingCa())).isEqualTo(api.leaf());
            assertThat(TlsProbe.served(f.gateway.adminPort(), trustingCa())).isEqualTo(admin.leaf());

            HttpClient http = HttpClient.newBuilder().sslContext(trustingCa()).build();
            HttpResponse<String> call = http.send(
                    f.postRequest("/v1/chat/completions", f.aliceKey, GatewayFixture.chat("frontier-x")),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(call.statusCode()).isEqualTo(200);
            assertThat(adminGet(f, trustingCa(), GatewayFixture.ADMIN_TOKEN, "/health")
                            .statusCode())
                    .isEqualTo(200);

            assertThat(TlsProbe.plainHttp(f.gateway.port())).doesNotContain("HTTP/");
            assertThat(TlsProbe.plainHttp(f.gateway.adminPort())).doesNotContain("HTTP/");
        }
    }

    @Test
    void a_client_that_does_not_trust_the_ca_is_refused_the_handshake() throws Exception {
        try (GatewayFixture f = gateway(pem("server", CA.issue("api.clearance.test"), Optional.empty()), null)) {
            assertThatThrownBy(() -> TlsProbe.served(f.gateway.port(), TestCa.trustingOnly(CLIENT_CA.certificate())))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void the_listeners_negotiate_tls_1_3_or_1_2_and_http_1_1() throws Exception {
        try (GatewayFixture f = gateway(pem("server", CA.issue("api.clearance.test"), Optional.empty()), null)) {
            TlsProbe.Handshake h = TlsProbe.handshake(f.gateway.port(), trustingCa(), List.of("h2", "http/1.1"));
            assertThat(h.protocol()).isEqualTo("TLSv1.3");
            assertThat(h.applicationProtocol()).isEqualTo("http/1.1");

            TlsProbe.Handshake tls12 =
                    TlsProbe.handshake(f.gateway.port(), trustingCa(), List.of("http/1.1"), "TLSv1.2");
            assertThat(tls12.protocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void the_admin_listener_with_a_client_ca_requires_a_client_certificate_from_it_and_the_token() throws Exception {
        Path clientCa = CLIENT_CA.writeCertificate(dir.resolve("admin/client-ca.crt"));
        ListenerTls adminTls = pem(
                "admin",
                CA.issue("admin.clearance.test"),
                Optional.of(new ConfiguredFile(clientCa, "admin.tls.client_ca")));
        TestCa.Issued operator = CLIENT_CA.issue("operator");
        TestCa.Issued stranger = CA.issue("stranger"); // a valid certificate, from the wrong CA
        try (GatewayFixture f = gateway(null, adminTls)) {
            assertThat(adminGet(f, operator.context(CA.certificate()), GatewayFixture.ADMIN_TOKEN, "/health")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(adminGet(f, operator.context(CA.certificate()), null, "/admin/v1/keys")
                            .statusCode())
                    .as("a client certificate does not replace the token")
                    .isEqualTo(401);
            assertThatThrownBy(() -> adminGet(f, trustingCa(), GatewayFixture.ADMIN_TOKEN, "/health"))
                    .as("no client certificate")
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() ->
                            adminGet(f, stranger.context(CA.certificate()), GatewayFixture.ADMIN_TOKEN, "/health"))
                    .as("a client certificate from another CA")
                    .isInstanceOf(IOException.class);
            // The model API on the same gateway asks for no client certificate.
            assertThat(f.post("/v1/chat/completions", f.aliceKey, GatewayFixture.chat("frontier-x"))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void a_certificate_replaced_on_disk_is_served_to_new_connections_with_no_failed_request_under_load()
            throws Exception {
        TestCa.Issued first = CA.issue("api-1.clearance.test");
        ListenerTls tls = pem("server", first, Optional.empty());
        try (GatewayFixture f = gateway(tls, null)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger answered = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> load = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                load.add(Thread.ofPlatform().start(() -> {
                    SSLContext client = trustingCa();
                    while (!stop.get()) {
                        try {
                            int status = TlsProbe.post(
                                    f.gateway.port(),
                                    client,
                                    "/v1/chat/completions",
                                    f.aliceKey,
                                    GatewayFixture.chat("frontier-x"));
                            if (status == 200) {
                                answered.incrementAndGet();
                            } else {
                                failures.add("status " + status);
                            }
                        } catch (IOException e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            awaitAnswers(answered, 20);

            TestCa.Issued second = CA.issue("api-2.clearance.test");
            // As a cert-manager sidecar might: each file replaced atomically, one after the other.
            replace(second.writeChain(dir.resolve("next.crt")), tlsPath(tls, true));
            replace(second.writeKey(dir.resolve("next.key")), tlsPath(tls, false));
            X509Certificate served = awaitServed(f.gateway.port(), second.leaf());
            int before = answered.get();
            awaitAnswers(answered, before + 20);
            stop.set(true);
            for (Thread t : load) {
                t.join();
            }

            assertThat(served).isEqualTo(second.leaf());
            assertThat(failures).isEmpty();
            assertThat(scrape(f)).contains("clearance_tls_reloads_total{kind=\"listener\",name=\"server\"} 1.0");
        }
    }

    @Test
    void a_kubernetes_secret_volume_update_by_symlink_swap_is_served() throws Exception {
        // The layout kubelet writes: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>/, swapped by one rename.
        Path volume = dir.resolve("secret");
        TestCa.Issued first = CA.issue("api-1.clearance.test");
        Path v1 = volume.resolve("..2026_01_01_00_00_00.1");
        first.writeChain(v1.resolve("tls.crt"));
        first.writeKey(v1.resolve("tls.key"));
        Files.createSymbolicLink(volume.resolve("..data"), v1.getFileName());
        Files.createSymbolicLink(volume.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(volume.resolve("tls.key"), Path.of("..data/tls.key"));
        ListenerTls tls = new ListenerTls(new TlsIdentity.PemFiles(
                ConfiguredFile.of(volume.resolve("tls.crt")), ConfiguredFile.of(volume.resolve("tls.key"))));

        try (GatewayFixture f = gateway(tls, null)) {
            assertThat(TlsProbe.served(f.gateway.port(), trustingCa())).isEqualTo(first.leaf());

            TestCa.Issued second = CA.issue("api-2.clearance.test");
            Path v2 = volume.resolve("..2026_02_01_00_00_00.2");
            second.writeChain(v2.resolve("tls.crt"));
            second.writeKey(v2.resolve("tls.key"));
            Files.createSymbolicLink(volume.resolve("..data_tmp"), v2.getFileName());
            Files.move(volume.resolve("..data_tmp"), volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

            assertThat(awaitServed(f.gateway.port(), second.leaf())).isEqualTo(second.leaf());
        }
    }

    @Test
    void a_broken_new_pair_is_refused_and_counted_while_the_previous_certificate_keeps_serving() throws Exception {
        TestCa.Issued first = CA.issue("api-1.clearance.test");
        ListenerTls tls = pem("server", first, Optional.empty());
        try (GatewayFixture f = gateway(tls, pem("admin", CA.issue("admin"), Optional.empty()))) {
            // A new certificate whose key never arrives: the old key does not match it.
            CA.issue("api-2.clearance.test").writeChain(tlsPath(tls, true));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!scrape(f).contains("clearance_tls_reload_failures_total{kind=\"listener\",name=\"server\"} 1.0")) {
                assertThat(System.nanoTime())
                        .as("the refused reload is counted")
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(TlsProbe.served(f.gateway.port(), trustingCa())).isEqualTo(first.leaf());

            // Its key arrives: the pair is whole again and served.
            TestCa.Issued third = CA.issue("api-3.clearance.test");
            third.writeKey(tlsPath(tls, false));
            third.writeChain(tlsPath(tls, true));
            assertThat(awaitServed(f.gateway.port(), third.leaf())).isEqualTo(third.leaf());
        }
    }

    @Test
    void the_time_left_on_each_served_certificate_is_a_metric() throws Exception {
        TestCa.Issued api = CA.issue("api.clearance.test");
        try (GatewayFixture f =
                gateway(pem("server", api, Optional.empty()), pem("admin", CA.issue("a"), Optional.empty()))) {
            String metrics = scrape(f);
            String line = metrics.lines()
                    .filter(l ->
                            l.startsWith("clearance_tls_certificate_expiry_seconds{kind=\"listener\",name=\"server\"}"))
                    .findFirst()
                    .orElseThrow();
            double seconds = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            double expected = (api.leaf().getNotAfter().getTime() - System.currentTimeMillis()) / 1000.0;
            assertThat(seconds).isBetween(expected - 60, expected + 60);
            assertThat(metrics).contains("clearance_tls_certificate_expiry_seconds{kind=\"listener\",name=\"admin\"}");
        }
    }

    private static Path tlsPath(ListenerTls tls, boolean certificate) {
        TlsIdentity.PemFiles pem = (TlsIdentity.PemFiles) tls.identity();
        return certificate ? pem.certificate().path() : pem.key().path();
    }

    private static void replace(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private X509Certificate awaitServed(int port, X509Certificate expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        X509Certificate served;
        do {
            served = TlsProbe.served(port, trustingCa());
            if (served.equals(expected)) {
                return served;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return served;
    }

    private static void awaitAnswers(AtomicInteger answered, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (answered.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static String scrape(GatewayFixture f) throws Exception {
        return adminGet(f, trustingCa(), GatewayFixture.ADMIN_TOKEN, "/metrics").body();
    }
}
