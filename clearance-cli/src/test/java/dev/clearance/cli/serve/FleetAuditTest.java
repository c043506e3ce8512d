package dev.clearance.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.cli.CliRun;
import dev.clearance.cli.config.ClearanceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet-wide audit over two nodes sharing one store (in this JVM, on SQLite): every node's published
 * checkpoints and log verify, searches and evidence bundles span the nodes, and a node whose log was
 * replaced is named.
 */
class FleetAuditTest {
    @TempDir
    Path dir;

    private Path config(String node) throws Exception {
        Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
        return Files.writeString(dir.resolve(node + ".yaml"), """
                node: %s
                data_dir: ./%s
                server: { host: 127.0.0.1, port: 0 }
                admin:  { host: 127.0.0.1, port: 0, token: audit-token }
                store:  { url: "jdbc:sqlite:%s" }
                directives: %s
                upstreams:
                  - { name: lab, base_url: "http://127.0.0.1:9", models: ["*"] }
                """.formatted(
                        node, node, dir.resolve("shared.db"), examples.resolve("directives")));
    }

    private static ConfiguredServer.Running start(Path config) throws Exception {
        return ConfiguredServer.start(ClearanceConfig.load(config, Map.of()), false);
    }

    private static String key(ConfiguredServer.Running node) {
        return node.log().verifier().verifierKey();
    }

    @Test
    void every_node_log_and_published_checkpoint_verifies_and_a_replaced_log_is_named() throws Exception {
        Path a = config("gw-a");
        Path b = config("gw-b");
        String keyA;
        String keyB;
        Instant from = Instant.now().minusSeconds(60);
        try (ConfiguredServer.Running na = start(a);
                ConfiguredServer.Running nb = start(b)) {
            keyA = key(na);
            keyB = key(nb);
        }
        Instant to = Instant.now().plusSeconds(60);
        // Restarted: each publishes a checkpoint that extends the one before, with its consistency proof.
        try (ConfiguredServer.Running na = start(a);
                ConfiguredServer.Running nb = start(b)) {
            assertThat(key(na)).isEqualTo(keyA);
        }

        CliRun verified = CliRun.of("log", "verify", "--fleet", "--config", a.toString());
        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out())
                .contains("gw-a: ok", "gw-b: ok", "ok: 2 nodes verified")
                .contains("consistent with the one before")
                .contains("policy applications found in its log where it said they are");

        CliRun applied = CliRun.of("log", "search", "--fleet", "--config", a.toString(), "--decision", "policy");
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out().lines().filter(l -> l.contains("\"change\":\"policy_applied\"")))
                .anyMatch(l -> l.startsWith("gw-a\t"))
                .anyMatch(l -> l.startsWith("gw-b\t"));

        Path bundle = dir.resolve("fleet-bundle.json");
        CliRun exported = CliRun.of(
                "log",
                "export",
                "--fleet",
                "--config",
                a.toString(),
                "--from",
                from.toString(),
                "--to",
                to.toString(),
                "--out",
                bundle.toString());
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        CliRun both = CliRun.of("log", "verify-bundle", bundle.toString(), "--public-key", keyA, "--public-key", keyB);
        assertThat(both.exitCode()).as(both.err()).isZero();
        assertThat(both.out()).contains("ok: gw-a: ", "ok: gw-b: ");
        CliRun oneKey = CliRun.of("log", "verify-bundle", bundle.toString(), "--public-key", keyA);
        assertThat(oneKey.exitCode()).isEqualTo(1);
        assertThat(oneKey.err()).contains("gw-b");

        // gw-b's log is replaced by a fresh one: what it published before no longer follows.
        try (Stream<Path> files = Files.walk(dir.resolve("gw-b/log"))) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
        try (ConfiguredServer.Running nb = start(b)) {
            assertThat(key(nb)).isNotEqualTo(keyB);
        }
        CliRun tampered = CliRun.of("log", "verify", "--fleet", "--config", a.toString());
        assertThat(tampered.exitCode()).isEqualTo(1);
        assertThat(tampered.out()).contains("gw-a: ok", "gw-b: FAILED");
        assertThat(tampered.err()).contains("fleet verification FAILED for gw-b");
    }
}
