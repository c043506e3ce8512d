package dev.clearance.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.cli.CliRun;
import dev.clearance.store.Store;
import dev.clearance.store.StoredPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clearance principals|directives|keys} end to end against an SQLite store in a temp directory. */
class StoreCommandsTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        config = Files.writeString(dir.resolve("clearance.yaml"), "data_dir: state\n");
    }

    CliRun run(String... args) {
        String[] withConfig = new String[args.length + 2];
        System.arraycopy(args, 0, withConfig, 0, args.length);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config.toString();
        return CliRun.of(withConfig);
    }

    Store store() {
        return Store.open("jdbc:sqlite:" + dir.resolve("state/clearance.db"));
    }

    @Test
    void importingTheExamplePrincipalsStoresEveryOne() {
        CliRun run =
                run("principals", "import", EXAMPLES.resolve("principals.jsonl").toString(), "--by", "ann");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("imported 9 principal(s)");
        try (Store store = store()) {
            assertThat(store.principals().count()).isEqualTo(9);
            assertThat(store.principals().get("alice")).isPresent();
        }
    }

    @Test
    void anImportWithABadLineIsLocatedAndStoresNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("p.jsonl"), """
                {"id": "a", "citizenships": ["US"]}
                {"id": "b", "citizenships": ["US"]}
                {"id": "c", "identity_assurance": 7}
                """);

        CliRun run = run("principals", "import", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains(file + ":3:")
                .contains("identity_assurance")
                .contains("nothing imported");
        try (Store store = store()) {
            assertThat(store.principals().count()).isZero();
        }
    }

    @Test
    void loadingDirectivesActivatesAPolicyThatCompilesBackToTheSameVersion() {
        CliRun run = run(
                "directives",
                "load",
                EXAMPLES.resolve("directives").toString(),
                "--by",
                "ann",
                "--reason",
                "order 2026-017");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("policy version 1 active: 4 directive(s), content hash sha256:");
        try (Store store = store()) {
            StoredPolicy active = StoredPolicy.active(store).orElseThrow();
            assertThat(active.version().activatedBy()).isEqualTo("ann");
            assertThat(active.version().reason()).isEqualTo("order 2026-017");
            assertThat(run.out()).contains(active.policy().version());
        }
        assertThat(run("directives", "load", EXAMPLES.resolve("directives").toString())
                        .out())
                .startsWith("unchanged: policy version 1");
    }

    @Test
    void loadingOneFileAmendsThatDirectiveAndKeepsTheOthersUnlessReplacing() throws Exception {
        run("directives", "load", EXAMPLES.resolve("directives").toString());
        String text = Files.readString(EXAMPLES.resolve("directives/sanctioned-locations.yaml"));
        Path amended = Files.writeString(dir.resolve("amended.yaml"), text.replace("message: ", "message: Amended. "));

        CliRun merge = run("directives", "load", amended.toString(), "--by", "ben");
        CliRun history = run("directives", "history", "ofac-comprehensive-locations");
        CliRun replace = run("directives", "load", "--replace", amended.toString());

        assertThat(merge.out())
                .startsWith("policy version 2 active: 4 directive(s)")
                .contains("ofac-comprehensive-locations@2")
                .containsPattern("ofac-comprehensive-locations@1\\s+withdrawn");
        assertThat(history.out())
                .contains("ofac-comprehensive-locations@1  (new) -> active")
                .contains("ofac-comprehensive-locations@2  (new) -> active  by ben")
                .contains("ofac-comprehensive-locations@1  active -> withdrawn  by ben");
        assertThat(replace.out()).startsWith("policy version 3 active: 1 directive(s)");
    }

    @Test
    void anInvalidDirectiveIsLocatedAndTheActivePolicyIsUnchanged() throws Exception {
        run("directives", "load", EXAMPLES.resolve("directives").toString());
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                id: typo
                title: Misspelled field
                effective_from: 2026-01-01T00:00:00Z
                scope: { models: ["*"] }
                applies_to: principal.us_persn
                effect: deny
                """);

        CliRun run = run("directives", "load", bad.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(bad + ":5:").contains("nothing loaded");
        try (Store store = store()) {
            assertThat(store.policies().active().orElseThrow().number()).isEqualTo(1);
            assertThat(store.directives().versions("typo")).isEmpty();
        }
    }

    @Test
    void theListShowsEveryDirectiveAndWhichVersionIsInForce() {
        run("directives", "load", EXAMPLES.resolve("directives").toString());

        CliRun run = run("directives", "list");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .startsWith("active policy version 1")
                .contains("dir-2026-017-frontier-foreign-nationals")
                .containsPattern("ofac-comprehensive-locations\\s+1 active\\s+@1");
    }

    @Test
    void theHistoryOfAnUnknownDirectiveIsAnError() {
        run("principals", "import", EXAMPLES.resolve("principals.jsonl").toString());
        CliRun run = run("directives", "history", "nope");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no directive 'nope'");
    }

    @Test
    void aKeyIsPrintedOnceAloneOnStdoutAndStopsWorkingWhenRevoked() {
        run("principals", "import", EXAMPLES.resolve("principals.jsonl").toString());

        CliRun created = run("keys", "create", "--principal", "alice");
        String key = created.out().strip();
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(key).matches("clr_[a-z2-7]{8}_[a-z2-7]{44}");
        try (Store store = store()) {
            assertThat(store.keys().lookup(key))
                    .get()
                    .extracting(k -> k.principalId())
                    .isEqualTo("alice");
        }

        CliRun revoked = run("keys", "revoke", key.substring(0, 12));

        assertThat(revoked.exitCode()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("revoked key " + key.substring(0, 12) + " of principal alice");
        try (Store store = store()) {
            assertThat(store.keys().lookup(key)).isEmpty();
        }
    }

    @Test
    void aKeyForAnUnknownPrincipalOrAnUnknownPrefixIsAnError() {
        run("principals", "import", EXAMPLES.resolve("principals.jsonl").toString());
        assertThat(run("keys", "create", "--principal", "ghost").err()).contains("no principal 'ghost'");
        assertThat(run("keys", "revoke", "clr_abcdefgh").exitCode()).isEqualTo(1);
    }

    @Test
    void aBrokenConfigurationIsReportedWithItsLocation() throws Exception {
        Files.writeString(config, "data_dir: state\nstore: { uri: x }\n");

        CliRun run = run("directives", "list");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains(config
                        + ":2:10: store: unknown key 'uri' (valid keys in store: url, max_staleness, on_unreachable)");
    }

    @Test
    void aStoredPrincipalCanBeShownAsItsJsonLineAndDeleted() {
        run("principals", "import", EXAMPLES.resolve("principals.jsonl").toString());

        CliRun shown = run("principals", "show", "alice");
        CliRun deleted = run("principals", "delete", "alice", "--by", "hr");

        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).startsWith("{\"id\":\"alice\"").contains("\"citizenships\":[\"US\"]");
        assertThat(deleted.out()).contains("deleted principal alice");
        assertThat(run("principals", "show", "alice").exitCode()).isEqualTo(1);
        assertThat(run("principals", "delete", "alice").err()).contains("no principal 'alice'");
    }

    @Test
    void theKeysOfAPrincipalAreListedByPrefixWithTheirRevocation() {
        run("principals", "import", EXAMPLES.resolve("principals.jsonl").toString());
        String key = run("keys", "create", "--principal", "alice", "--by", "ops")
                .out()
                .strip();
        run("keys", "revoke", key.substring(0, 12), "--by", "sec");

        CliRun list = run("keys", "list", "--principal", "alice");

        assertThat(list.out())
                .contains(key.substring(0, 12) + "  created")
                .contains("by ops")
                .contains("REVOKED")
                .contains("by sec")
                .doesNotContain(key.substring(13));
    }
}
