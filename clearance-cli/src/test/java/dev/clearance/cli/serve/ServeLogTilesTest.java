package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.gateway.DemoUpstream;
import dev.clearance.log.merkle.Rfc6962;
import dev.clearance.log.note.Checkpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision log as the C2SP tlog-tiles API on the admin listener of {@code serve --config}: the
 * signed checkpoint and the tiles an auditor needs to check it, read from the real log.
 */
class ServeLogTilesTest {
    static final String TOKEN = "t0ken";

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    ConfiguredServer.Running start(DemoUpstream upstream, String logSection) throws Exception {
        Files.writeString(dir.resolve("principals.jsonl"), """
                {"id": "alice", "name": "Alice Walker", "citizenships": ["US"]}
                """);
        Path file =
                Files.writeString(dir.resolve("clearance.yaml"), """
                data_dir: ./data
                server: { host: 127.0.0.1, port: 0 }
                admin:  { host: 127.0.0.1, port: 0, token: %s }
                principals: ./principals.jsonl
                upstreams:
                  - { name: demo, base_url: "%s" }
                %s
                """.formatted(TOKEN, upstream.baseUrl(), logSection));
        return ConfiguredServer.start(ClearanceConfig.load(file, Map.of()), false);
    }

    HttpResponse<byte[]> admin(ConfiguredServer.Running running, String method, String path, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + running.gateway().adminPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    void decisions(ConfiguredServer.Running running, int n) throws Exception {
        String key = running.store().keys().create("alice", "test").key();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + running.gateway().port() + "/v1/chat/completions"))
                            .header("Authorization", "Bearer " + key)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"open-small\",\"messages\":[]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        running.log().checkpoint().get();
    }

    @Test
    void the_signed_checkpoint_and_the_tiles_under_it_are_served_and_check_out() throws Exception {
        try (var upstream = DemoUpstream.start("127.0.0.1", 0, List.of("open-small"), Duration.ZERO);
                ConfiguredServer.Running running = start(upstream, "")) {
            decisions(running, 3);

            HttpResponse<byte[]> cp = admin(running, "GET", "/log/checkpoint", TOKEN);
            assertThat(cp.statusCode()).isEqualTo(200);
            assertThat(cp.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
            String note = new String(cp.body(), StandardCharsets.UTF_8);
            Checkpoint checkpoint = Checkpoint.parse(running.log().verifier().open(note));
            int size = (int) checkpoint.size();
            assertThat(size).isGreaterThanOrEqualTo(3);

            HttpResponse<byte[]> bundle = admin(running, "GET", "/log/tile/entries/000.p/" + size, TOKEN);
            HttpResponse<byte[]> hashes = admin(running, "GET", "/log/tile/0/000.p/" + size, TOKEN);
            assertThat(bundle.statusCode()).isEqualTo(200);
            assertThat(bundle.headers().firstValue("cache-control")).hasValue("no-cache");
            List<byte[]> entries = entries(bundle.body());
            assertThat(entries).hasSize(size);
            for (int i = 0; i < size; i++) {
                assertThat(entries.get(i)).isEqualTo(running.log().view().entry(i));
                assertThat(Arrays.copyOfRange(hashes.body(), 32 * i, 32 * i + 32))
                        .isEqualTo(Rfc6962.leafHashOf(entries.get(i)));
            }
            assertThat(root(entries, 0, size)).as("the signed root").isEqualTo(checkpoint.root());

            assertThat(admin(running, "GET", "/log/tile/entries/001", TOKEN).statusCode())
                    .isEqualTo(404);
            assertThat(admin(running, "GET", "/log/checkpoint", null).statusCode())
                    .as("without log.public the log needs the admin token")
                    .isEqualTo(401);
        }
    }

    @Test
    void with_log_public_auditors_read_the_log_without_the_token_and_nothing_else() throws Exception {
        try (var upstream = DemoUpstream.start("127.0.0.1", 0, List.of("open-small"), Duration.ZERO);
                ConfiguredServer.Running running = start(upstream, "log: { public: true }")) {
            decisions(running, 1);

            assertThat(admin(running, "GET", "/log/checkpoint", null).statusCode())
                    .isEqualTo(200);
            assertThat(admin(running, "GET", "/log/tile/entries/000.p/1", null).statusCode())
                    .isEqualTo(200);
            for (String path : List.of("/admin/v1/policy", "/metrics", "/log/../admin/v1/policy", "/log/keys")) {
                HttpResponse<byte[]> r = admin(running, "GET", path, null);
                assertThat(r.statusCode()).as(path).isIn(401, 404);
                assertThat(new String(r.body(), StandardCharsets.UTF_8))
                        .as(path)
                        .doesNotContain("version");
            }
            assertThat(admin(running, "POST", "/log/checkpoint", null).statusCode())
                    .isEqualTo(401);
            assertThat(admin(running, "GET", "/admin/v1/policy", "wrong").statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void a_public_log_and_scim_each_keep_their_own_gate() throws Exception {
        String scimToken = "sc1m-t0ken";
        try (var upstream = DemoUpstream.start("127.0.0.1", 0, List.of("open-small"), Duration.ZERO);
                ConfiguredServer.Running running =
                        start(upstream, "log: { public: true }\nscim: { token: " + scimToken + " }")) {
            decisions(running, 1);

            assertThat(admin(running, "GET", "/log/checkpoint", null).statusCode())
                    .isEqualTo(200);
            assertThat(admin(running, "GET", "/scim/v2/Users", scimToken).statusCode())
                    .isEqualTo(200);
            assertThat(admin(running, "GET", "/scim/v2/Users", null).statusCode())
                    .as("the public log opens no SCIM resource")
                    .isEqualTo(401);
            assertThat(admin(running, "GET", "/scim/v2/Users", TOKEN).statusCode())
                    .as("the admin token does not open SCIM")
                    .isEqualTo(401);
            assertThat(admin(running, "GET", "/admin/v1/policy", scimToken).statusCode())
                    .as("the SCIM token opens nothing else")
                    .isEqualTo(401);
            assertThat(admin(running, "GET", "/log/checkpoint/../../scim/v2/Users", null)
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    /** An entry bundle: each entry as a big-endian 16-bit length and its bytes. */
    private static List<byte[]> entries(byte[] bundle) {
        List<byte[]> out = new ArrayList<>();
        for (int at = 0; at < bundle.length; ) {
            int n = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
            out.add(Arrays.copyOfRange(bundle, at + 2, at + 2 + n));
            at += 2 + n;
        }
        return out;
    }

    /** RFC 6962 MTH over entries [lo, hi). */
    private static byte[] root(List<byte[]> entries, int lo, int hi) {
        if (hi - lo == 1) {
            return Rfc6962.leafHashOf(entries.get(lo));
        }
        int k = Integer.highestOneBit(hi - lo - 1);
        return new Rfc6962().nodeHash(root(entries, lo, lo + k), root(entries, lo + k, hi));
    }
}
