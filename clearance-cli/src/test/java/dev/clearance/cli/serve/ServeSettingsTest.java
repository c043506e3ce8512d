package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.cli.CliRun;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.config.ConfigException;
import dev.clearance.gateway.GatewaySettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clearance serve --config}: the configuration file maps onto the gateway's settings, and bad files stop the start. */
class ServeSettingsTest {
    @TempDir
    Path dir;

    @Test
    void the_configuration_file_maps_onto_the_gateway_settings_with_secrets_from_the_environment() throws Exception {
        Path file = Files.writeString(dir.resolve("clearance.yaml"), """
                server:   { host: 127.0.0.1, port: 9080 }
                admin:    { host: 127.0.0.1, port: 9081, token: ${CLEARANCE_ADMIN_TOKEN} }
                geoip:    { database: ./GeoLite2-Country.mmdb, trusted_proxies: [127.0.0.1/32, "::1/128"] }
                upstreams:
                  - name: lab
                    base_url: http://127.0.0.1:9000
                    models: ["frontier-*"]
                    api_key_env: UPSTREAM_KEY
                  - name: rest
                    base_url: http://127.0.0.1:9001
                    model_ids: [gpt-4o]
                    list_models: false
                    query_allow: [api-version]
                log:      { record_timeout: 2500ms }
                """);
        ClearanceConfig config =
                ClearanceConfig.load(file, Map.of("CLEARANCE_ADMIN_TOKEN", "s3cret", "UPSTREAM_KEY", "up-key"));

        GatewaySettings s = ConfiguredServer.settings(config);

        assertThat(s.server()).isEqualTo(new GatewaySettings.Listener("127.0.0.1", 9080));
        assertThat(s.admin()).isEqualTo(new GatewaySettings.Listener("127.0.0.1", 9081));
        assertThat(s.adminToken()).isEqualTo("s3cret");
        assertThat(s.upstreams())
                .containsExactly(
                        new GatewaySettings.Upstream(
                                "lab", URI.create("http://127.0.0.1:9000"), List.of("frontier-*"), "up-key"),
                        new GatewaySettings.Upstream(
                                "rest",
                                URI.create("http://127.0.0.1:9001"),
                                List.of("*"),
                                "",
                                List.of("gpt-4o"),
                                false,
                                GatewaySettings.Upstream.DEFAULT_MODELS_REFRESH,
                                List.of("api-version")));
        assertThat(s.geoIp().database()).isEqualTo(Optional.of(dir.resolve("GeoLite2-Country.mmdb")));
        assertThat(s.geoIp().trustedProxies()).hasSize(2);
        assertThat(s.geoIp().unparseable()).isEqualTo(GatewaySettings.Unparseable.DENY);
        assertThat(s.recordTimeout()).isEqualTo(java.time.Duration.ofMillis(2500));
        assertThat(s.publicLog())
                .as("the log needs the admin token unless log.public says otherwise")
                .isFalse();
        assertThat(s.toString()).doesNotContain("s3cret").doesNotContain("up-key");
    }

    @Test
    void serving_without_an_admin_token_is_refused_before_anything_starts() throws Exception {
        Path file = Files.writeString(
                dir.resolve("clearance.yaml"), "upstreams:\n  - name: lab\n    base_url: http://127.0.0.1:9000\n");
        ClearanceConfig config = ClearanceConfig.load(file, Map.of());
        assertThatThrownBy(() -> ConfiguredServer.settings(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.token");

        CliRun run = CliRun.of("serve", "--config", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("admin.token");
    }

    @Test
    void an_admin_token_from_an_unset_variable_stops_serve_naming_it_but_not_the_store_commands() throws Exception {
        Path file = Files.writeString(dir.resolve("clearance.yaml"), """
                data_dir: ./data
                admin: { token: ${CLEARANCE_TEST_UNSET_TOKEN} }
                """);

        CliRun serve = CliRun.of("serve", "--config", file.toString());
        assertThat(serve.exitCode()).isEqualTo(1);
        assertThat(serve.err())
                .contains(file + ":2:17: admin.token: environment variable CLEARANCE_TEST_UNSET_TOKEN is not set");

        Path principals = Path.of("..", "examples", "principals.jsonl").toAbsolutePath();
        CliRun imported = CliRun.of("principals", "import", principals.toString(), "--config", file.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        CliRun keys = CliRun.of("keys", "list", "--principal", "alice", "--config", file.toString());
        assertThat(keys.exitCode()).as(keys.err()).isZero();
    }

    @Test
    void with_the_demo_upstream_a_configured_store_is_served_without_a_model_server() throws Exception {
        Path file = Files.writeString(dir.resolve("clearance.yaml"), """
                data_dir: ./data
                server: { host: 127.0.0.1, port: 0 }
                admin:  { host: 127.0.0.1, port: 0, token: t0ken }
                upstreams:
                  - { name: lab, base_url: "http://127.0.0.1:9", api_key_env: CLEARANCE_TEST_UNSET_KEY }
                """);
        assertThat(CliRun.of(
                                "principals",
                                "import",
                                Path.of("..", "examples", "principals.jsonl")
                                        .toAbsolutePath()
                                        .toString(),
                                "--config",
                                file.toString())
                        .exitCode())
                .isZero();
        try (ConfiguredServer.Running running = ConfiguredServer.start(ClearanceConfig.load(file), false, true)) {
            String alice = running.store().keys().create("alice", "test").key();
            var response = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                            + running.gateway().port() + "/v1/chat/completions"))
                                    .header("Authorization", "Bearer " + alice)
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                            "{\"model\":\"frontier-x\",\"messages\":[]}"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).contains("DEMO UPSTREAM");
            assertThat(running.demoUpstream()).isPresent();
        }
    }

    @Test
    void serve_needs_exactly_one_of_config_and_demo() {
        assertThat(CliRun.of("serve").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("serve", "--demo", "--config", "x.yaml").exitCode())
                .isEqualTo(2);
    }

    @Test
    void serve_from_a_configuration_file_imports_the_files_enforces_forwards_and_records() throws Exception {
        Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
        try (var upstream = dev.clearance.gateway.DemoUpstream.start(
                "127.0.0.1", 0, List.of("frontier-x"), java.time.Duration.ZERO)) {
            Path file = Files.writeString(dir.resolve("clearance.yaml"), """
                    data_dir: ./data
                    node: test-node
                    server: { host: 127.0.0.1, port: 0 }
                    admin:  { host: 127.0.0.1, port: 0, token: ${TOKEN} }
                    directives: %s
                    principals: %s
                    upstreams:
                      - { name: demo, base_url: "%s", models: ["*"] }
                    """.formatted(
                            examples.resolve("directives"), examples.resolve("principals.jsonl"), upstream.baseUrl()));
            try (ConfiguredServer.Running running =
                    ConfiguredServer.start(ClearanceConfig.load(file, Map.of("TOKEN", "t0ken")), false)) {
                assertThat(running.imported().principals()).isEqualTo(9);
                assertThat(running.gateway().policy().directives()).hasSize(4);
                String alice = running.store().keys().create("alice", "test").key();
                String chen = running.store().keys().create("chen", "test").key();
                var http = java.net.http.HttpClient.newHttpClient();
                String body = "{\"model\":\"frontier-x\",\"messages\":[]}";
                java.util.function.Function<String, java.net.http.HttpResponse<String>> call = key -> {
                    try {
                        return http.send(
                                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                                + running.gateway().port() + "/v1/chat/completions"))
                                        .header("Authorization", "Bearer " + key)
                                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                };
                assertThat(call.apply(alice).body()).contains("DEMO UPSTREAM");
                assertThat(call.apply(chen).statusCode()).isEqualTo(403);
                // The four directive activations of the start-up import, the node's proof that it put the
                // loaded policy in force, then the two decisions.
                assertThat(running.log().size()).isEqualTo(7);
                assertThat(new String(running.log().view().entry(0), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("\"change\":\"lifecycle_step\"", "\"node\":\"test-node\"");
                assertThat(new String(running.log().view().entry(4), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("\"change\":\"policy_applied\"", "\"node\":\"test-node\"");
                assertThat(new String(running.log().view().entry(5), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("\"node\":\"test-node\"", "\"principal\":\"alice\"");
                assertThat(running.log().directory()).isEqualTo(dir.resolve("data/log"));
            }
        }
    }
}
