package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.cli.CliRun;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.gateway.tls.TestCa;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clearance serve --config} with TLS: served end to end, and every bad TLS setting stops the start. */
class ServeTlsTest {
    private static final TestCa CA = TestCa.create("Clearance Serve Test CA");
    private static final TestCa OPERATORS = TestCa.create("Operators CA");

    @TempDir
    Path dir;

    private Path config(String yaml) throws Exception {
        return Files.writeString(dir.resolve("clearance.yaml"), yaml);
    }

    private String where(int line, int column) {
        return dir.resolve("clearance.yaml") + ":" + line + ":" + column + ": ";
    }

    /** Runs {@code serve --config} on a file expected to be refused, and checks nothing was started or stored. */
    private CliRun refused(Path file) {
        CliRun run = CliRun.of("serve", "--config", file.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(dir.resolve("data")).as("nothing is opened or imported").doesNotExist();
        return run;
    }

    private static final String SERVER_TLS = """
            data_dir: ./data
            admin: { port: 0, token: t }
            server:
              port: 0
              tls:
                cert: %s
                key: %s
            """;

    @Test
    void a_missing_or_unreadable_key_file_stops_the_start_naming_the_file_and_the_setting() throws Exception {
        TestCa.Issued api = CA.issue("api");
        Path crt = api.writeChain(dir.resolve("tls.crt"));
        Path missing = dir.resolve("missing.key");
        assertThat(refused(config(SERVER_TLS.formatted(crt, missing))).err())
                .contains(where(7, 10) + "server.tls.key: " + missing + ": no such file");

        Path directory = Files.createDirectory(dir.resolve("a-directory.key"));
        assertThat(refused(config(SERVER_TLS.formatted(crt, directory))).err())
                .contains(where(7, 10) + "server.tls.key: " + directory + ": cannot be read");
    }

    @Test
    void a_key_that_does_not_match_the_certificate_stops_the_start() throws Exception {
        Path crt = CA.issue("api").writeChain(dir.resolve("tls.crt"));
        Path otherKey = CA.issue("other").writeKey(dir.resolve("other.key"));
        assertThat(refused(config(SERVER_TLS.formatted(crt, otherKey))).err())
                .contains(where(7, 10) + "server.tls.key: " + otherKey
                        + ": the private key does not match the certificate CN=api");
    }

    @Test
    void an_expired_certificate_stops_the_start() throws Exception {
        Instant now = Instant.now();
        TestCa.Issued old = CA.issue(
                "old", now.minus(Duration.ofDays(90)), now.minus(Duration.ofDays(1)), TestCa.ec(), TestCa.LOOPBACK);
        Path crt = old.writeChain(dir.resolve("tls.crt"));
        assertThat(refused(config(SERVER_TLS.formatted(crt, old.writeKey(dir.resolve("tls.key")))))
                        .err())
                .contains(where(6, 11) + "server.tls.cert: " + crt + ": the certificate CN=old expired at");
    }

    @Test
    void a_wrong_keystore_password_stops_the_start_at_the_password_setting() throws Exception {
        Path p12 = CA.issue("admin").writePkcs12(dir.resolve("admin.p12"), "right");
        Path file = config("""
                data_dir: ./data
                admin:
                  token: t
                  tls:
                    keystore: %s
                    keystore_password: ${P12_PASSWORD:-wrong}
                """.formatted(p12));
        assertThat(refused(file).err())
                .contains(where(6, 24) + "admin.tls.keystore_password: the password does not open the keystore " + p12);
    }

    @Test
    void client_ca_without_a_listener_certificate_and_a_missing_upstream_ca_stop_the_start() throws Exception {
        assertThat(refused(config("""
                        data_dir: ./data
                        admin: { token: t, tls: { client_ca: ./ca.crt } }
                        """)).err())
                .contains(where(2, 38) + "admin.tls.client_ca: client_ca needs the listener's own certificate");
        Path file = config("""
                data_dir: ./data
                admin: { token: t }
                upstreams:
                  - name: lab
                    base_url: https://127.0.0.1:9443
                    tls: { ca: ./no-such-ca.crt }
                """);
        assertThat(refused(file).err())
                .contains(where(6, 16) + "upstreams[0].tls.ca: " + dir.resolve("no-such-ca.crt") + ": no such file");
    }

    /** The subject of the client certificate a request came with, empty for none. */
    private static String clientCertificate(ServerRequest req) {
        return req.remotePeer()
                .tlsCertificates()
                .map(c -> ((X509Certificate) c[0]).getSubjectX500Principal().getName())
                .orElse("");
    }

    @Test
    void serve_with_tls_serves_both_listeners_and_calls_a_mutual_tls_upstream_with_its_client_certificate()
            throws Exception {
        TestCa modelServers = TestCa.create("Model Servers CA");
        TestCa.Issued upstreamCert = modelServers.issue("vllm.lab");
        LinkedBlockingQueue<String> presented = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> presentedForList = new LinkedBlockingQueue<>();
        HttpRouting.Builder routing = HttpRouting.builder();
        // The gateway's catalogue reads the model list at start, over the same mutual TLS as the calls.
        routing.get("/v1/models", (req, res) -> {
            presentedForList.add(clientCertificate(req));
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"object\":\"list\",\"data\":[{\"id\":\"frontier-x\",\"object\":\"model\"}]}");
        });
        routing.post("/v1/chat/completions", (req, res) -> {
            req.content().as(String.class);
            presented.add(clientCertificate(req));
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}");
        });
        WebServer upstream = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing)
                .tls(Tls.builder()
                        .privateKey(upstreamCert.keys().getPrivate())
                        .privateKeyCertChain(upstreamCert.chain())
                        .trust(List.of(CA.certificate()))
                        .clientAuth(TlsClientAuth.REQUIRED)
                        .build())
                .build()
                .start();
        try {
            TestCa.Issued api = CA.issue("api.clearance.test");
            api.writeChain(dir.resolve("tls/api.crt"));
            api.writeKey(dir.resolve("tls/api.key"));
            CA.issue("admin.clearance.test").writePkcs12(dir.resolve("tls/admin.p12"), "p12-secret");
            OPERATORS.writeCertificate(dir.resolve("tls/operators-ca.crt"));
            modelServers.writeCertificate(dir.resolve("tls/model-servers-ca.crt"));
            TestCa.Issued gatewayClient = CA.issue("clearance-gateway");
            gatewayClient.writeChain(dir.resolve("tls/gateway.crt"));
            gatewayClient.writeKey(dir.resolve("tls/gateway.key"));
            Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
            Path file = config("""
                    data_dir: ./data
                    server: { host: 127.0.0.1, port: 0, tls: { cert: tls/api.crt, key: tls/api.key } }
                    admin:
                      host: 127.0.0.1
                      port: 0
                      token: ${TOKEN}
                      tls: { keystore: tls/admin.p12, keystore_password: ${P12}, client_ca: tls/operators-ca.crt }
                    directives: %s
                    principals: %s
                    upstreams:
                      - name: vllm
                        base_url: https://127.0.0.1:%d
                        tls: { ca: tls/model-servers-ca.crt, cert: tls/gateway.crt, key: tls/gateway.key }
                    """.formatted(
                            examples.resolve("directives"), examples.resolve("principals.jsonl"), upstream.port()));
            try (ConfiguredServer.Running running = ConfiguredServer.start(
                    ClearanceConfig.load(file, Map.of("TOKEN", "t0ken", "P12", "p12-secret")), false)) {
                String key = running.store().keys().create("alice", "test").key();
                HttpClient client = HttpClient.newBuilder()
                        .sslContext(TestCa.trustingOnly(CA.certificate()))
                        .build();
                HttpResponse<String> call = client.send(
                        HttpRequest.newBuilder(URI.create(running.gateway().url() + "/v1/chat/completions"))
                                .header("Authorization", "Bearer " + key)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"frontier-x\",\"messages\":[]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(running.gateway().url()).startsWith("https://127.0.0.1:");
                assertThat(presentedForList.poll(5, TimeUnit.SECONDS)).isEqualTo("CN=clearance-gateway");
                assertThat(call.statusCode()).isEqualTo(200);
                assertThat(presented.poll(5, TimeUnit.SECONDS)).isEqualTo("CN=clearance-gateway");

                HttpClient operator = HttpClient.newBuilder()
                        .sslContext(OPERATORS.issue("operator").context(CA.certificate()))
                        .build();
                HttpResponse<String> metrics = operator.send(
                        HttpRequest.newBuilder(URI.create(running.gateway().adminUrl() + "/metrics"))
                                .header("Authorization", "Bearer t0ken")
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.body())
                        .contains("clearance_tls_certificate_expiry_seconds{kind=\"listener\",name=\"server\"}")
                        .contains("clearance_tls_certificate_expiry_seconds{kind=\"listener\",name=\"admin\"}")
                        .contains("clearance_tls_certificate_expiry_seconds{kind=\"upstream\",name=\"vllm\"}");
            }
        } finally {
            upstream.stop();
        }
    }
}
