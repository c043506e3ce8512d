package dev.clearance.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.gateway.GatewaySettings.Unparseable;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClearanceConfigTest {
    @TempDir
    Path dir;

    private ClearanceConfig load(String yaml, Map<String, String> env) throws Exception {
        Path file = Files.writeString(dir.resolve("clearance.yaml"), yaml);
        return ClearanceConfig.load(file, env);
    }

    private ClearanceConfig load(String yaml) throws Exception {
        return load(yaml, Map.of());
    }

    private List<String> problems(String yaml, Map<String, String> env) {
        Path file = dir.resolve("clearance.yaml");
        try {
            Files.writeString(file, yaml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            ClearanceConfig.load(file, env);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the configuration to be rejected");
    }

    private List<String> problems(String yaml) {
        return problems(yaml, Map.of());
    }

    private String where(int line, int column) {
        return dir.resolve("clearance.yaml") + ":" + line + ":" + column + ": ";
    }

    @Test
    void anEmptyFileMeansLoopbackListenersAndAnSqliteStoreBesideIt() throws Exception {
        ClearanceConfig c = load("");

        assertThat(c.dataDir()).isEqualTo(dir.resolve("data").toAbsolutePath().normalize());
        assertThat(c.store().url()).isEqualTo("jdbc:sqlite:" + c.dataDir().resolve("clearance.db"));
        assertThat(c.server()).isEqualTo(new ClearanceConfig.Listener("127.0.0.1", 8080));
        assertThat(c.admin().host()).isEqualTo("127.0.0.1");
        assertThat(c.admin().port()).isEqualTo(8081);
        assertThat(c.admin().token()).isEmpty();
        assertThat(c.node()).isNotBlank();
        assertThat(c.upstreams()).isEmpty();
        assertThat(c.geoip()).isEmpty();
        assertThat(c.log()).isEmpty();
        assertThat(c.screening()).isEmpty();
        assertThat(c.lifecycle().twoPersonRule()).isFalse();
        assertThat(c.file()).contains(dir.resolve("clearance.yaml"));
    }

    @Test
    void theDefaultsWithoutAFileKeepDataInTheWorkingDirectory() {
        ClearanceConfig c = ClearanceConfig.defaults(dir);

        assertThat(c.file()).isEmpty();
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data").toAbsolutePath().normalize());
        assertThat(c.store().url()).endsWith("/data/clearance.db");
    }

    @Test
    void everyKeyIsReadAndRelativePathsAreResolvedAgainstTheConfigFile() throws Exception {
        ClearanceConfig c = load("""
                data_dir: var
                node: gw-1
                server: { host: 0.0.0.0, port: 9080 }
                admin: { host: 127.0.0.1, port: 9081, token: ${TOKEN} }
                store: { url: "jdbc:sqlite:db/c.db" }
                directives: ./directives
                principals: ./principals.jsonl
                geoip: { database: ./GeoLite2-Country.mmdb, trusted_proxies: [127.0.0.1/32, "::1", 10.0.0.0/8], unparseable: unknown }
                upstreams:
                  - name: lab
                    base_url: http://127.0.0.1:9000
                    models: ["frontier-*", "open-*"]
                    api_key_env: UPSTREAM_KEY
                  - name: rest
                    base_url: https://models.example
                log: { signing_key: keys/log.key, origin: clearance.example/log, record_timeout: 3s, public: true }
                screening:
                  threshold: 0.8
                  lists: [{ kind: csl, path: lists/csl.csv }]
                lifecycle: { two_person_rule: true }
                """, Map.of("TOKEN", "s3cret-token", "UPSTREAM_KEY", "up-key"));

        assertThat(c.dataDir()).isEqualTo(dir.resolve("var"));
        assertThat(c.node()).isEqualTo("gw-1");
        assertThat(c.server()).isEqualTo(new ClearanceConfig.Listener("0.0.0.0", 9080));
        assertThat(c.admin().requireToken().matches("s3cret-token")).isTrue();
        assertThat(c.store().url()).isEqualTo("jdbc:sqlite:" + dir.resolve("db/c.db"));
        assertThat(c.directives()).contains(dir.resolve("directives"));
        assertThat(c.principals()).contains(dir.resolve("principals.jsonl"));
        assertThat(c.geoip().orElseThrow().database()).isEqualTo(dir.resolve("GeoLite2-Country.mmdb"));
        assertThat(c.geoip().orElseThrow().trustedProxies())
                .extracting(Cidr::toString)
                .containsExactly("127.0.0.1/32", "0:0:0:0:0:0:0:1/128", "10.0.0.0/8");
        assertThat(c.geoip().orElseThrow().unparseable()).isEqualTo(Unparseable.UNKNOWN);
        assertThat(c.upstreams()).hasSize(2);
        assertThat(c.upstreams().get(0).baseUrl()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(c.upstreams().get(0).models()).containsExactly("frontier-*", "open-*");
        assertThat(c.upstreams().get(0).apiKey().orElseThrow().value()).isEqualTo("up-key");
        assertThat(c.upstreams().get(1).models()).containsExactly("*");
        assertThat(c.upstreams().get(1).apiKey()).isEmpty();
        assertThat(c.log().orElseThrow().signingKey()).contains(dir.resolve("keys/log.key"));
        assertThat(c.log().orElseThrow().origin()).contains("clearance.example/log");
        assertThat(c.log().orElseThrow().recordTimeout()).isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(c.log().orElseThrow().publicTiles()).isTrue();
        assertThat(c.screening().orElseThrow().threshold()).isEqualTo(0.8);
        assertThat(c.screening().orElseThrow().lists())
                .containsExactly(new ClearanceConfig.ScreeningList("csl", dir.resolve("lists/csl.csv")));
        assertThat(c.lifecycle().twoPersonRule()).isTrue();
    }

    @Test
    void secretsNeverAppearWhenTheConfigurationIsPrinted() throws Exception {
        ClearanceConfig c = load("""
                admin: { token: s3cret-token }
                store: { url: "jdbc:postgresql://db:5432/clearance?user=app&password=pg-pass" }
                upstreams: [{ name: lab, base_url: "http://127.0.0.1:9000", api_key_env: K }]
                """, Map.of("K", "up-key"));

        assertThat(c.toString())
                .doesNotContain("s3cret-token", "pg-pass", "up-key")
                .contains("<redacted>", "password=***");
        assertThat(c.store().url()).contains("pg-pass");
    }

    @Test
    void environmentVariablesAreInterpolatedWithDefaultsAndDollarEscapes() throws Exception {
        ClearanceConfig c = load("""
                node: ${NODE}-${ZONE:-eu}
                server: { port: "${PORT:-8090}" }
                admin: { token: "pa$$word" }
                """, Map.of("NODE", "gw"));

        assertThat(c.node()).isEqualTo("gw-eu");
        assertThat(c.server().port()).isEqualTo(8090);
        assertThat(c.admin().requireToken().matches("pa$word")).isTrue();
    }

    @Test
    void anUnsetVariableWithoutDefaultIsAnErrorAtItsValue() {
        assertThat(problems("node: ${NODE_NAME}\n"))
                .containsExactly(where(1, 7) + "node: environment variable NODE_NAME is not set "
                        + "(write ${NODE_NAME:-default} to give a default)");
    }

    @Test
    void an_unset_secret_is_an_error_only_for_the_command_that_needs_it() throws Exception {
        ClearanceConfig c = load("admin:\n  token: ${CLEARANCE_ADMIN_TOKEN}\n");

        String unset = where(2, 10) + "admin.token: environment variable CLEARANCE_ADMIN_TOKEN is not set "
                + "(write ${CLEARANCE_ADMIN_TOKEN:-default} to give a default)";
        assertThat(c.admin().token()).isPresent();
        assertThatThrownBy(() -> c.admin().requireToken().value())
                .isInstanceOf(ConfigException.class)
                .hasMessage(unset);
        assertThatThrownBy(c::requireSecrets)
                .isInstanceOf(ConfigException.class)
                .hasMessage(unset);
    }

    @Test
    void anUnknownKeyIsLocatedAndTheValidKeysAreListed() {
        assertThat(problems("node: a\nsever: { port: 1 }\n"))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith(where(2, 1)
                                + "unknown key 'sever' (valid keys: data_dir, node, server, admin, store,"));
        assertThat(problems("server:\n  hots: 0.0.0.0\n"))
                .containsExactly(
                        where(2, 3) + "server: unknown key 'hots' (valid keys in server: host, port, tls, warmup)");
    }

    @Test
    void wrongTypesAreErrorsSayingWhatWasExpected() {
        assertThat(problems("server: { port: http }\n"))
                .containsExactly(where(1, 17) + "server.port: expected an integer from 0 to 65535, got 'http'");
        assertThat(problems("server: { port: 70000 }\n"))
                .containsExactly(where(1, 17) + "server.port: expected an integer from 0 to 65535, got '70000'");
        assertThat(problems("server: [127.0.0.1]\n"))
                .singleElement()
                .asString()
                .startsWith(where(1, 9) + "server: expected a mapping (host, port, tls, warmup), got a list");
        assertThat(problems("server: { warmup: 10m }\n"))
                .containsExactly(where(1, 19)
                        + "server.warmup: expected a duration from 0ms to 5m (e.g. 10s, 500ms, 1m), got '10m'");
        assertThat(problems("lifecycle: { two_person_rule: yes }\n"))
                .containsExactly(where(1, 31) + "lifecycle.two_person_rule: expected true or false, got 'yes'");
        assertThat(problems("screening: { threshold: 1.5 }\n"))
                .containsExactly(where(1, 25) + "screening.threshold: expected a number from 0.0 to 1.0, got '1.5'");
        assertThat(problems("log: { record_timeout: 10 }\n"))
                .containsExactly(where(1, 24)
                        + "log.record_timeout: expected a duration from 1ms to 10m (e.g. 10s, 500ms, 1m), got '10'");
        assertThat(problems("log: { record_timeout: 0s }\n"))
                .singleElement()
                .asString()
                .contains("log.record_timeout: expected a duration");
        assertThat(problems("log: { group_commit_wait: 20ms }\n"))
                .containsExactly(
                        where(1, 27)
                                + "log.group_commit_wait: expected a duration from 0ms to 10ms (e.g. 10s, 500ms, 1m), got '20ms'");
        assertThat(problems("node: [a, b]\n"))
                .containsExactly(where(1, 7) + "node: expected a single value, got a list");
        assertThat(problems("upstreams: { name: x }\n"))
                .singleElement()
                .asString()
                .startsWith(where(1, 12) + "upstreams: expected a list of mappings");
    }

    @Test
    void a_fleet_node_fails_closed_after_five_seconds_unless_configured_otherwise() throws Exception {
        ClearanceConfig defaults = load("node: gw-1\n");
        assertThat(defaults.store().maxStaleness()).isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(defaults.store().onUnreachable()).isEqualTo(ClearanceConfig.OnUnreachable.FAIL_CLOSED);
        assertThat(defaults.fleet().thresholds()).isEqualTo(dev.clearance.store.FleetView.Thresholds.DEFAULT);

        ClearanceConfig set = load("""
                store: { url: "jdbc:postgresql://db:5432/c", max_staleness: 2s, on_unreachable: serve-cached }
                fleet: { stale_after: 1500ms, down_after: 1m }
                """);
        assertThat(set.store().maxStaleness()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(set.store().onUnreachable()).isEqualTo(ClearanceConfig.OnUnreachable.SERVE_CACHED);
        assertThat(set.fleet().staleAfter()).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(set.fleet().downAfter()).isEqualTo(java.time.Duration.ofMinutes(1));
    }

    @Test
    void fleet_settings_that_cannot_work_are_located_errors() {
        assertThat(problems("store: { on_unreachable: serve }\n"))
                .containsExactly(
                        where(1, 26) + "store.on_unreachable: expected fail-closed or serve-cached, got 'serve'");
        assertThat(problems("store: { max_staleness: 0s }\n"))
                .singleElement()
                .asString()
                .contains("store.max_staleness: expected a duration from 100ms to 10m");
        assertThat(problems("fleet: { stale_after: 5s, down_after: 5s }\n"))
                .singleElement()
                .asString()
                .contains("fleet.down_after: must be longer than stale_after (5s), got 5s");
        assertThat(problems("fleet: { stale: 5s }\n"))
                .singleElement()
                .asString()
                .contains("unknown key 'stale'")
                .contains("stale_after, down_after");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(problems("server: { port: x }\nadmin: { port: y }\nbogus: 1\n"))
                .hasSize(3);
    }

    @Test
    void upstreamsNeedANameAndAnHttpUrlAndTheirKeyVariable() {
        List<String> found = problems("""
                upstreams:
                  - base_url: ftp://files
                  - name: a
                    base_url: http://x
                    api_key_env: MISSING
                  - name: a
                    base_url: http://y
                    models: []
                """);

        assertThat(found)
                .containsExactlyInAnyOrder(
                        where(2, 5) + "upstreams[0]: missing required key 'name'",
                        where(2, 15)
                                + "upstreams[0].base_url: expected an http:// or https:// URL with a host, got 'ftp://files'",
                        where(6, 11) + "upstreams[2].name: duplicate upstream name 'a'",
                        where(8, 13)
                                + "upstreams[2].models: must list at least one model glob (\"*\" for every model)");
    }

    @Test
    void an_upstream_key_variable_that_is_not_set_is_an_error_only_when_serving() throws Exception {
        ClearanceConfig c = load("""
                upstreams:
                  - name: a
                    base_url: http://x
                    api_key_env: MISSING
                """);

        assertThatThrownBy(c::requireSecrets)
                .isInstanceOf(ConfigException.class)
                .hasMessage(where(4, 18) + "upstreams[0].api_key_env: environment variable MISSING is not set");
    }

    @Test
    void an_upstreams_catalogue_and_query_keys_are_read_with_safe_defaults() throws Exception {
        ClearanceConfig c = load("""
                upstreams:
                  - name: azure
                    base_url: https://azure.example
                    model_ids: [gpt-4o, Mythos-5]
                    list_models: false
                    query_allow: [api-version]
                  - name: lab
                    base_url: http://127.0.0.1:9000
                    models_refresh: 30s
                """, Map.of());

        ClearanceConfig.Upstream azure = c.upstreams().get(0);
        assertThat(azure.modelIds()).containsExactly("gpt-4o", "Mythos-5");
        assertThat(azure.listModels()).isFalse();
        assertThat(azure.queryAllow()).containsExactly("api-version");
        ClearanceConfig.Upstream lab = c.upstreams().get(1);
        assertThat(lab.modelIds()).isEmpty();
        assertThat(lab.listModels()).isTrue();
        assertThat(lab.modelsRefresh()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(lab.queryAllow()).as("no query parameter passes by default").isEmpty();
        assertThat(azure.modelsRefresh()).isEqualTo(java.time.Duration.ofMinutes(1));
    }

    @Test
    void an_upstream_may_not_take_a_model_parameter_an_unnameable_id_or_nothing_to_serve() {
        List<String> found = problems("""
                upstreams:
                  - name: a
                    base_url: http://x
                    query_allow: [api-version, Model]
                    model_ids: ["bad\\u200Bid"]
                  - name: b
                    base_url: http://y
                    list_models: false
                    models_refresh: 0s
                """);

        assertThat(found)
                .containsExactlyInAnyOrder(
                        where(4, 18) + "upstreams[0].query_allow: 'Model' cannot be allowed: the model is decided"
                                + " from the body alone",
                        where(5, 16) + "upstreams[0].model_ids: model id 'bad\u200bid' contains the character U+200B"
                                + " at position 4; control, format, private-use and unassigned characters are not"
                                + " allowed",
                        where(8, 18) + "upstreams[1].list_models: with list_models: false the upstream serves only"
                                + " its model_ids, and none are given",
                        where(9, 21) + "upstreams[1].models_refresh: expected a duration from 1s to 1440m (e.g. 10s,"
                                + " 500ms, 1m), got '0s'");
    }

    @Test
    void trustedProxiesMustBeAddressesOrCidrRanges() {
        assertThat(problems("geoip: { database: g.mmdb, trusted_proxies: [proxy.local, 10.0.0.0/33] }\n"))
                .containsExactly(
                        where(1, 45)
                                + "geoip.trusted_proxies: 'proxy.local' is not an IP address or CIDR range (e.g. 10.0.0.0/8, ::1/128)",
                        where(1, 45) + "geoip.trusted_proxies: '10.0.0.0/33': prefix length must be 0-32");
        assertThat(problems("geoip: { trusted_proxies: [] }\n"))
                .containsExactly(where(1, 8) + "geoip: missing required key 'database'");
    }

    @Test
    void an_unreadable_forwarded_client_is_denied_unless_configured_as_an_unknown_country() throws Exception {
        assertThat(load("geoip: { database: g.mmdb }\n", Map.of())
                        .geoip()
                        .orElseThrow()
                        .unparseable())
                .isEqualTo(Unparseable.DENY);
        assertThat(problems("geoip: { database: g.mmdb, unparseable: allow }\n"))
                .containsExactly(where(1, 41) + "geoip.unparseable: expected deny or unknown, got 'allow'");
    }

    @Test
    void aCidrContainsExactlyTheAddressesUnderItsPrefix() throws Exception {
        Cidr net = Cidr.parse("10.1.0.0/16");

        assertThat(net.contains(InetAddress.getByName("10.1.255.7"))).isTrue();
        assertThat(net.contains(InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(net.contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(Cidr.parse("192.168.1.9/29").contains(InetAddress.getByName("192.168.1.15")))
                .isTrue();
        assertThat(Cidr.parse("192.168.1.9/29").contains(InetAddress.getByName("192.168.1.16")))
                .isFalse();
    }

    @Test
    void aStoreUrlMustBeSqliteOrPostgresqlAndItsPasswordIsNotEchoed() {
        assertThat(problems("store: { url: \"jdbc:mysql://db/x?password=hunter2\" }\n"))
                .containsExactly(
                        where(1, 15)
                                + "store.url: expected jdbc:sqlite:<file> or jdbc:postgresql://host[:port]/database, got 'jdbc:mysql://db/x?password=***'");
        assertThat(problems("store: { url: \"jdbc:sqlite::memory:\" }\n"))
                .singleElement()
                .asString()
                .contains("a file path");
    }

    @Test
    void yamlSyntaxErrorsAndDuplicateKeysAreLocated() {
        assertThat(problems("server: { port: 1\n"))
                .singleElement()
                .asString()
                .startsWith(dir.resolve("clearance.yaml") + ":2:1: YAML error");
        assertThat(problems("node: a\nnode: b\n"))
                .containsExactly(where(2, 1) + "duplicate key 'node' (first at line 1)");
        assertThat(problems("- a\n- b\n"))
                .singleElement()
                .asString()
                .startsWith(where(1, 1) + "expected a mapping of settings");
    }

    @Test
    void servingTheAdminApiWithoutATokenIsRefused() throws Exception {
        ClearanceConfig c = load("admin: { port: 9000, token: \"${T:-}\" }\n");

        assertThat(c.admin().token()).isEmpty();
        assertThatThrownBy(() -> c.admin().requireToken())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.token is required");
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        assertThatThrownBy(() -> ClearanceConfig.load(dir.resolve("nope.yaml"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("nope.yaml") + ": cannot read");
    }

    @Test
    void withoutAnExplicitFileTheCommandsUseTheEmbeddedDefaults() {
        assertThat(ClearanceConfig.resolve(null).file())
                .isEqualTo(
                        Files.isRegularFile(Path.of(ClearanceConfig.DEFAULT_FILE))
                                ? Optional.of(Path.of(ClearanceConfig.DEFAULT_FILE))
                                : Optional.empty());
    }

    @Test
    void aSecretComparesOnlyEqualToItsExactValue() {
        Secret s = new Secret("abc");

        assertThat(s.matches("abc")).isTrue();
        assertThat(s.matches("abcd")).isFalse();
        assertThat(s.matches(null)).isFalse();
        assertThat(s).hasToString("<redacted>");
    }

    @Test
    void tls_sections_are_read_with_paths_resolved_and_each_file_named_by_its_position() throws Exception {
        ClearanceConfig c = load("""
                server:
                  tls: { cert: tls/api.crt, key: tls/api.key }
                admin:
                  token: t
                  tls:
                    keystore: tls/admin.p12
                    keystore_password: ${P12_PASSWORD}
                    client_ca: tls/operators-ca.crt
                upstreams:
                  - name: vllm
                    base_url: https://vllm.lab:8000
                    tls: { ca: tls/lab-ca.crt, cert: tls/gw.crt, key: tls/gw.key }
                """, Map.of("P12_PASSWORD", "pa55"));

        dev.clearance.gateway.tls.TlsIdentity.PemFiles api = (dev.clearance.gateway.tls.TlsIdentity.PemFiles)
                c.server().tls().orElseThrow().identity();
        assertThat(api.certificate().path()).isEqualTo(dir.resolve("tls/api.crt"));
        assertThat(api.key().setting()).isEqualTo(where(2, 34) + "server.tls.key");

        var admin = c.admin().tls().orElseThrow();
        var keystore = (dev.clearance.gateway.tls.TlsIdentity.Keystore) admin.identity();
        assertThat(keystore.file().path()).isEqualTo(dir.resolve("tls/admin.p12"));
        assertThat(keystore.password()).isEqualTo("pa55");
        assertThat(keystore.passwordSetting()).isEqualTo(where(7, 24) + "admin.tls.keystore_password");
        assertThat(admin.clientCa().orElseThrow().path()).isEqualTo(dir.resolve("tls/operators-ca.crt"));
        assertThat(c.toString()).doesNotContain("pa55");

        var upstream = c.upstreams().getFirst().tls().orElseThrow();
        assertThat(upstream.ca().orElseThrow().path()).isEqualTo(dir.resolve("tls/lab-ca.crt"));
        assertThat(upstream.identity()).isPresent();
    }

    @Test
    void incomplete_or_conflicting_tls_settings_are_located_and_say_what_is_missing() {
        assertThat(problems("""
                        server:
                          tls: { cert: a.crt }
                        admin:
                          tls: { client_ca: ca.crt }
                        """))
                .containsExactly(
                        where(2, 16) + "server.tls.cert: cert and key go together: set key too",
                        where(4, 21) + "admin.tls.client_ca: client_ca needs the listener's own certificate: "
                                + "set cert and key (or keystore) beside it");
        assertThat(problems("""
                        server:
                          tls: { keystore: a.p12 }
                        admin:
                          tls: { cert: a.crt, key: a.key, keystore: a.p12, keystore_password: x }
                        """))
                .containsExactly(
                        where(2, 20) + "server.tls.keystore: a keystore needs keystore_password, "
                                + "e.g. keystore_password: ${CLEARANCE_TLS_PASSWORD}",
                        where(4, 45)
                                + "admin.tls.keystore: give either cert and key (PEM files) or keystore (PKCS#12), not both");
        assertThat(problems("server:\n  tls: {}\n"))
                .containsExactly(
                        where(2, 8)
                                + "server.tls: missing the listener's certificate: set cert and key (or keystore and keystore_password)");
        assertThat(problems("server:\n  tls: { cert: a, key: b, client_ca: c }\n"))
                .singleElement()
                .asString()
                .contains("unknown key 'client_ca' (valid keys in server.tls: cert, key, keystore, keystore_password)");
    }

    @Test
    void upstream_tls_needs_an_https_base_url_and_a_ca_or_a_client_certificate() {
        assertThat(problems("""
                        upstreams:
                          - name: a
                            base_url: http://a.lab
                            tls: { ca: ca.crt }
                          - name: b
                            base_url: https://b.lab
                            tls: { }
                        """))
                .containsExactly(
                        where(4, 10) + "upstreams[0].tls: tls applies to an https:// base_url only, got 'http://a.lab'",
                        where(7, 10) + "upstreams[1].tls: set ca (the CA the upstream's certificate must chain to), "
                                + "cert and key, or both");
    }
}
