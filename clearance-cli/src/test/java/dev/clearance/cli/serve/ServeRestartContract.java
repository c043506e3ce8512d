package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.cli.CliRun;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.Store;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clearance serve --config} restarted over the same store: unchanged files never change the
 * policy or the principals, changed files do, and changed files that would undo admin changes stop
 * the start. Real servers on loopback, the real admin API; run on SQLite and PostgreSQL.
 */
abstract class ServeRestartContract {
    static final String TOKEN = "restart-test-token";
    static final String EMERGENCY = """
            id: emergency-2026-001
            title: Emergency suspension of the frontier models
            authority: "Directive 2026-001"
            effective_from: 2024-01-01T00:00:00Z
            scope:
              models: ["frontier-*"]
            applies_to: "true"
            effect: deny
            message: Suspended by emergency directive 2026-001.
            """;
    static final String ALICE_NOW_CHINESE = """
            {"id": "alice", "kind": "person", "name": "Alice Walker", "citizenships": ["CN"], \
            "residence_country": "US", "organization": "acme-labs", "identity_assurance": 2}""";

    @TempDir
    Path dir;

    Path directives;
    Path principals;
    Path config;
    final HttpClient http = HttpClient.newHttpClient();

    /** The store URL every start of this test uses. */
    abstract String storeUrl() throws Exception;

    @BeforeEach
    void files() throws Exception {
        Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
        directives = Files.createDirectories(dir.resolve("directives"));
        try (Stream<Path> files = Files.list(examples.resolve("directives"))) {
            for (Path f : files.toList()) {
                Files.copy(f, directives.resolve(f.getFileName()));
            }
        }
        principals = Files.copy(examples.resolve("principals.jsonl"), dir.resolve("principals.jsonl"));
        config = Files.writeString(dir.resolve("clearance.yaml"), """
                data_dir: ./data
                server: { host: 127.0.0.1, port: 0 }
                admin:  { host: 127.0.0.1, port: 0, token: %s }
                store:  { url: "%s" }
                directives: ./directives
                principals: ./principals.jsonl
                upstreams:
                  - { name: lab, base_url: "http://127.0.0.1:9", models: ["*"] }
                """.formatted(TOKEN, storeUrl()));
    }

    ConfiguredServer.Running start(boolean replaceAdminChanges) throws Exception {
        return ConfiguredServer.start(ClearanceConfig.load(config, Map.of()), replaceAdminChanges);
    }

    HttpResponse<String> admin(ConfiguredServer.Running running, String method, String path, String body)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + running.gateway().adminPort() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isBetween(200, 204);
        return response;
    }

    /** The emergency directive and a principal change and a deletion, over the admin API. */
    void changeOverTheAdminApi(ConfiguredServer.Running running) throws Exception {
        admin(running, "PUT", "/admin/v1/directives/emergency-2026-001", EMERGENCY);
        admin(running, "POST", "/admin/v1/principals", ALICE_NOW_CHINESE);
        admin(running, "DELETE", "/admin/v1/principals/bruno", null);
    }

    static long policyNumber(Store store) {
        return store.policies().active().map(PolicyVersion::number).orElseThrow();
    }

    static List<String> citizenships(Store store, String id) {
        return store.principals().get(id).orElseThrow().principal().citizenships();
    }

    void editFile(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    @Test
    void a_restart_with_unchanged_files_keeps_an_emergency_directive_and_principal_changes_made_over_the_admin_api()
            throws Exception {
        String version;
        long number;
        try (var first = start(false)) {
            assertThat(first.imported().principals()).isEqualTo(9);
            assertThat(first.imported().report())
                    .anySatisfy(line -> assertThat(line)
                            .contains("directives in " + directives)
                            .contains("loaded for the first time: activated as policy version 1"));
            changeOverTheAdminApi(first);
            version = first.gateway().policy().version();
            number = policyNumber(first.store());
        }

        try (var second = start(false)) {
            assertThat(second.gateway().policy().version()).isEqualTo(version);
            assertThat(second.gateway().policy().directive("emergency-2026-001"))
                    .isPresent();
            assertThat(policyNumber(second.store())).isEqualTo(number);
            assertThat(citizenships(second.store(), "alice")).containsExactly("CN");
            assertThat(second.store().principals().get("bruno")).isEmpty();
            assertThat(second.imported().principals()).isZero();
            assertThat(second.imported().report())
                    .containsExactly(
                            "principals in " + principals + " unchanged since imported at "
                                    + second.store()
                                            .fileLoads()
                                            .last(dev.clearance.store.FileLoads.Source.PRINCIPALS)
                                            .orElseThrow()
                                            .loadedAt()
                                    + ": not imported again",
                            "directives in " + directives + " unchanged since loaded at "
                                    + second.store()
                                            .fileLoads()
                                            .last(dev.clearance.store.FileLoads.Source.DIRECTIVES)
                                            .orElseThrow()
                                            .loadedAt()
                                    + ": the policy in force is kept (version " + number + ")");
            // Enforced, not just stored: alice is now a foreign person and the emergency directive holds.
            String decision = admin(
                            second, "POST", "/admin/v1/decide", "{\"principal\":\"alice\",\"model\":\"frontier-x\"}")
                    .body();
            assertThat(decision).contains("\"deny\"").contains("emergency-2026-001");
        }
    }

    @Test
    void changed_files_become_a_new_version_only_when_their_content_differs_from_the_last_load() throws Exception {
        long loaded;
        try (var first = start(false)) {
            loaded = policyNumber(first.store());
        }
        // Layout and comments are not content: the compiled policy is the same.
        Path file = directives.resolve("sanctioned-locations.yaml");
        Files.writeString(file, "# reviewed 2026-12-01\n" + Files.readString(file));
        try (var second = start(false)) {
            assertThat(policyNumber(second.store())).isEqualTo(loaded);
            assertThat(second.imported().report()).anySatisfy(l -> assertThat(l).contains("unchanged since loaded"));
        }

        editFile(file, "message: Service is not available from your location.", "message: Not available here.");
        Files.writeString(
                principals,
                Files.readString(principals)
                        + "{\"id\": \"zoe\", \"kind\": \"person\", \"name\": \"Zoe\", \"citizenships\": [\"US\"]}\n");
        try (var third = start(false)) {
            PolicyVersion now = third.store().policies().active().orElseThrow();
            assertThat(now.number()).isEqualTo(loaded + 1);
            assertThat(now.activatedBy()).isEqualTo("serve");
            assertThat(now.reason()).startsWith("loaded at start from " + directives + " (changed since loaded at ");
            assertThat(third.gateway()
                            .policy()
                            .directive("ofac-comprehensive-locations")
                            .orElseThrow()
                            .message())
                    .isEqualTo("Not available here.");
            assertThat(third.store().principals().get("zoe")).isPresent();
            assertThat(third.imported().principals()).isEqualTo(10);
            assertThat(third.imported().report())
                    .anySatisfy(l -> assertThat(l)
                            .contains("directives in " + directives + " changed since loaded at ")
                            .endsWith("activated as policy version " + (loaded + 1)));
        }
        try (var fourth = start(false)) {
            assertThat(policyNumber(fourth.store())).isEqualTo(loaded + 1);
            assertThat(fourth.imported().principals()).isZero();
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a start that is not refused serves forever
    void changed_files_that_would_undo_admin_changes_refuse_to_start_naming_them_and_change_nothing() throws Exception {
        long number;
        try (var first = start(false)) {
            changeOverTheAdminApi(first);
            admin(first, "DELETE", "/admin/v1/directives/ofac-comprehensive-locations", null);
            number = policyNumber(first.store());
        }
        editFile(directives.resolve("offensive-cyber-capability.yaml"), "title: ", "title: Amended - ");
        // Zoe is new; alice's line is as it was, so importing it would undo the admin's change; bruno was deleted.
        Files.writeString(
                principals,
                Files.readString(principals)
                        + "{\"id\": \"zoe\", \"kind\": \"person\", \"name\": \"Zoe\", \"citizenships\": [\"US\"]}\n");

        CliRun run = CliRun.of("serve", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains("the directives in " + directives + " and the principals in " + principals
                        + " changed since last loaded, and loading them would undo")
                .containsPattern("directive 'emergency-2026-001' added by admin-api at \\S+ \\(policy version \\d+:")
                .containsPattern("directive 'ofac-comprehensive-locations' withdrawn by admin-api at ")
                .containsPattern("principal 'alice' changed by admin-api at ")
                .containsPattern("principal 'bruno' deleted at ")
                .contains("--replace-admin-changes")
                .doesNotContain("offensive-cyber")
                .doesNotContain("'zoe'");
        try (Store store = Store.open(storeUrl())) {
            assertThat(policyNumber(store)).isEqualTo(number);
            assertThat(citizenships(store, "alice")).containsExactly("CN");
            assertThat(store.principals().get("zoe")).isEmpty();
        }
    }

    @Test
    void replace_admin_changes_loads_the_changed_files_over_them_and_says_so() throws Exception {
        try (var first = start(false)) {
            changeOverTheAdminApi(first);
        }
        editFile(directives.resolve("offensive-cyber-capability.yaml"), "title: ", "title: Amended - ");
        editFile(principals, "\"name\": \"Chen Wei\"", "\"name\": \"Chen Wei (reviewed)\"");

        try (var replaced = start(true)) {
            assertThat(replaced.gateway().policy().directive("emergency-2026-001"))
                    .isEmpty();
            assertThat(citizenships(replaced.store(), "alice")).containsExactly("US");
            assertThat(replaced.store().principals().get("bruno")).isPresent();
            PolicyVersion now = replaced.store().policies().active().orElseThrow();
            assertThat(now.reason()).contains("replaces directive emergency-2026-001");
            assertThat(replaced.imported().report())
                    .anySatisfy(l -> assertThat(l).contains("replaces principal alice, principal bruno"));
        }
        try (var plain = start(false)) {
            assertThat(plain.gateway().policy().directive("emergency-2026-001")).isEmpty();
        }
    }

    @Test
    void files_that_already_hold_the_admin_change_are_loaded_without_a_refusal_or_a_new_version() throws Exception {
        long number;
        try (var first = start(false)) {
            admin(first, "PUT", "/admin/v1/directives/emergency-2026-001", EMERGENCY);
            number = policyNumber(first.store());
        }
        // The operator writes the emergency directive into the files, laid out their own way.
        Files.writeString(
                directives.resolve("emergency.yaml"),
                "# added after the emergency\n" + EMERGENCY.replace("effect: deny", "effect:   deny"));

        try (var second = start(false)) {
            assertThat(policyNumber(second.store())).isEqualTo(number);
            assertThat(second.imported().report())
                    .anySatisfy(l -> assertThat(l)
                            .endsWith("already in force as policy version " + number + ", nothing activated"));
        }
        try (var third = start(false)) {
            assertThat(third.imported().report()).anySatisfy(l -> assertThat(l).contains("unchanged since loaded"));
        }
    }
}
