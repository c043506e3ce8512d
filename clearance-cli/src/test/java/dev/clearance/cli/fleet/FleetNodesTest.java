package dev.clearance.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clearance.cli.CliRun;
import dev.clearance.core.Json;
import dev.clearance.gateway.DemoUpstream;
import dev.clearance.store.PolicyApplication;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three gateway nodes, each its own JVM ({@code clearance serve --config}), on one PostgreSQL server:
 * what an operator runs. In order, on the same fleet: a key issued on one node works on all; a
 * directive put on any node is enforced by the others within a second (and how fast, from the nodes'
 * own records); concurrent PUTs on two nodes are both kept; a node killed with {@code kill -9} shows
 * as not seen since, the others keep enforcing, and it enforces the current policy once restarted;
 * with the database stopped every node stops answering 200 within 5 s, and serves again within 10 s
 * of its return; and after all that, every node's log and published checkpoints verify fleet-wide.
 *
 * <p>{@code -Dclearance.fleet.changes=N} (default 20) sets how many changes the propagation test
 * makes; {@code bench/fleet-propagation.sh} runs it with 100 and prints the figures.
 * {@code -Dclearance.fleet.keep=true} keeps the nodes' logs, configurations and data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetNodesTest {
    private static final String TOKEN = "fleet-admin-token";
    private static final String BLOCK = """
            id: fleet-block-open-small
            title: Open models suspended
            effective_from: 2024-01-01T00:00:00Z
            scope: { models: ["open-small"] }
            applies_to: "true"
            effect: deny
            message: Suspended on every node.
            """;

    /** Where the figures measured here are written, for bench/fleet-propagation.sh. */
    private static final Path FIGURES = Path.of("target", "fleet-figures.txt");

    private Path dir;
    private Path pgData;
    private int pgPort;
    private EmbeddedPostgres postgres;
    private DemoUpstream upstream;
    private Store store;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private String aliceKey;

    @BeforeAll
    void fleet() throws Exception {
        dir = Files.createTempDirectory("clearance-fleet-");
        pgData = dir.resolve("pg");
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .start();
        pgPort = postgres.getPort();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE fleet");
        }
        upstream = DemoUpstream.start("127.0.0.1", 0, List.of("open-small"), Duration.ZERO);
        Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
        for (int i = 1; i <= 3; i++) {
            Path config = Files.writeString(dir.resolve("gw-" + i + ".yaml"), """
                    node: gw-%d
                    data_dir: ./gw-%d
                    server: { host: 127.0.0.1, port: 0, warmup: 0s }
                    admin:  { host: 127.0.0.1, port: 0, token: %s }
                    store:  { url: "%s" }
                    directives: %s
                    principals: %s
                    upstreams:
                      - { name: demo, base_url: "%s", models: ["*"] }
                    """.formatted(
                            i,
                            i,
                            TOKEN,
                            jdbcUrl(),
                            examples.resolve("directives"),
                            examples.resolve("principals.jsonl"),
                            upstream.baseUrl()));
            nodes.add(NodeProcess.launch("gw-" + i, config, TOKEN));
        }
        // Started together: their start-up loads of the same files race, as a fleet's do.
        for (NodeProcess n : nodes) {
            n.awaitStarted();
        }
        store = Store.open(jdbcUrl());
    }

    private String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + pgPort + "/fleet?user=postgres";
    }

    @AfterAll
    void stop() throws Exception {
        for (NodeProcess n : nodes) {
            n.close();
        }
        if (store != null) {
            store.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (Boolean.getBoolean("clearance.fleet.keep")) {
            System.out.println("fleet test directory kept (nodes' logs, configurations, data): " + dir);
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }

    private NodeProcess node(int i) {
        return nodes.get(i - 1);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    /** Polls until {@code node} answers alice's chat with {@code status}; the time it took, or null after {@code within}. */
    private Duration untilStatus(NodeProcess node, int status, Duration within) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (node.chatStatus(aliceKey, "open-small") == status) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(5);
        }
        return null;
    }

    @Test
    @Order(1)
    void a_key_issued_on_one_node_works_on_every_node() throws Exception {
        HttpResponse<String> issued = node(1).admin("POST", "/admin/v1/keys", "{\"principal\": \"alice\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        aliceKey = json(issued).path("key").asText();

        for (NodeProcess n : nodes) {
            HttpResponse<String> chat = n.chat(aliceKey, "open-small");
            assertThat(chat.statusCode()).as(n.name + ": " + chat.body()).isEqualTo(200);
        }
        // The three nodes started with the same files: one activated them, the others found them in force.
        assertThat(store.policies().history()).hasSize(1);
    }

    @Test
    @Order(2)
    void a_directive_put_on_any_node_is_enforced_by_every_other_node_within_a_second() throws Exception {
        int changes = Integer.getInteger("clearance.fleet.changes", 20);
        List<Long> enforcedMillis = new ArrayList<>();
        long firstNumber = store.policies().active().orElseThrow().number() + 1;
        for (int i = 0; i < changes; i++) {
            NodeProcess writer = node(1 + i % 3);
            boolean put = i % 2 == 0;
            HttpResponse<String> r = put
                    ? writer.admin("PUT", "/admin/v1/directives/fleet-block-open-small", BLOCK)
                    : writer.admin("DELETE", "/admin/v1/directives/fleet-block-open-small", null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            for (NodeProcess other : nodes) {
                if (other != writer) {
                    Duration took = untilStatus(other, put ? 403 : 200, Duration.ofSeconds(1));
                    assertThat(took)
                            .as(
                                    "change %d (%s on %s) enforced by %s within 1 s",
                                    i, put ? "PUT" : "DELETE", writer.name, other.name)
                            .isNotNull();
                    enforcedMillis.add(took.toMillis());
                }
            }
        }
        // The nodes' own proof: when each applied each version, against when it was activated.
        List<Double> appliedMillis = new ArrayList<>();
        for (NodeProcess n : nodes) {
            for (PolicyApplication a : applications(n.name, firstNumber, changes)) {
                PolicyVersion v = store.policies().get(a.policyNumber()).orElseThrow();
                appliedMillis.add(
                        Duration.between(v.activatedAt(), a.appliedAt()).toNanos() / 1e6);
            }
        }
        String report = String.format(
                "fleet propagation over %d changes on 3 nodes: activation to application (node records, %d"
                        + " applications) p50 %.1f ms, p99 %.1f ms, max %.1f ms; PUT answered to enforced on the other"
                        + " nodes (observed by polling, %d observations) p50 %d ms, p99 %d ms, max %d ms%n",
                changes,
                appliedMillis.size(),
                percentile(appliedMillis, 50),
                percentile(appliedMillis, 99),
                Collections.max(appliedMillis),
                enforcedMillis.size(),
                percentile(enforcedMillis, 50),
                percentile(enforcedMillis, 99),
                Collections.max(enforcedMillis));
        System.out.print(report);
        Files.writeString(FIGURES, report);
    }

    /** The applications of {@code count} versions from {@code first} that {@code node} recorded (waiting briefly for the last). */
    private List<PolicyApplication> applications(String node, long first, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<PolicyApplication> applied = store.fleet().applications(node).stream()
                    .filter(a -> a.policyNumber() >= first && a.policyNumber() < first + count)
                    .toList();
            if (applied.size() == count || System.nanoTime() > deadline) {
                assertThat(applied)
                        .as(node + " recorded every version it applied")
                        .hasSize(count);
                return applied;
            }
            Thread.sleep(50);
        }
    }

    private static <T extends Number & Comparable<T>> T percentile(List<T> values, int p) {
        List<T> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    @Test
    @Order(3)
    void concurrent_puts_on_two_nodes_are_both_kept() throws Exception {
        for (int round = 0; round < 5; round++) {
            String a = "concurrent-a-" + round;
            String b = "concurrent-b-" + round;
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> onOne = put(node(1), a, go);
            CompletableFuture<HttpResponse<String>> onTwo = put(node(2), b, go);
            go.countDown();
            assertThat(onOne.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(onTwo.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

            List<String> inForce = store.policies().active().orElseThrow().directives().stream()
                    .map(d -> d.directiveId())
                    .toList();
            assertThat(inForce).as("round " + round).contains(a, b);
        }
        String active = store.policies().active().orElseThrow().contentHash();
        for (NodeProcess n : nodes) {
            assertThat(untilVersion(n, active, Duration.ofSeconds(1)))
                    .as(n.name)
                    .isTrue();
        }
    }

    private CompletableFuture<HttpResponse<String>> put(NodeProcess node, String id, CountDownLatch go) {
        String directive = """
                id: %s
                title: Concurrent change %s
                effective_from: 2024-01-01T00:00:00Z
                scope: { models: ["frontier-*"] }
                applies_to: "principal.citizenships.exists(c, c == 'KP')"
                effect: deny
                """.formatted(id, id);
        return CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
                return node.admin("PUT", "/admin/v1/directives/" + id, directive);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static boolean untilVersion(NodeProcess node, String version, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            if (json(node.admin("GET", "/ready", null))
                    .path("policy_version")
                    .asText()
                    .equals(version)) {
                return true;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return false;
    }

    @Test
    @Order(4)
    void a_killed_node_shows_as_not_seen_since_it_died_the_others_keep_enforcing_and_it_restarts_current()
            throws Exception {
        Instant killed = Instant.now();
        node(3).kill();
        Thread.sleep(3_500); // past fleet.stale_after (3 s)

        JsonNode fleet = json(node(1).admin("GET", "/admin/v1/fleet", null));
        JsonNode dead = member(fleet, "gw-3");
        assertThat(Instant.parse(dead.path("last_seen").asText())).isBeforeOrEqualTo(killed);
        assertThat(dead.path("status").asText()).isIn("stale", "down");
        assertThat(member(fleet, "gw-1").path("status").asText()).isEqualTo("up");
        assertThat(member(fleet, "gw-2").path("status").asText()).isEqualTo("up");

        boolean blocked = node(1).chatStatus(aliceKey, "open-small") == 403;
        HttpResponse<String> change = blocked
                ? node(1).admin("DELETE", "/admin/v1/directives/fleet-block-open-small", null)
                : node(1).admin("PUT", "/admin/v1/directives/fleet-block-open-small", BLOCK);
        assertThat(change.statusCode()).as(change.body()).isEqualTo(200);
        assertThat(untilStatus(node(2), blocked ? 200 : 403, Duration.ofSeconds(1)))
                .as("gw-2 enforces a change made while gw-3 is dead")
                .isNotNull();

        node(3).restart();
        assertThat(node(3).chatStatus(aliceKey, "open-small")).isEqualTo(blocked ? 200 : 403);
        assertThat(json(node(3).admin("GET", "/ready", null))
                        .path("policy_version")
                        .asText())
                .isEqualTo(store.policies().active().orElseThrow().contentHash());
        assertThat(member(json(node(1).admin("GET", "/admin/v1/fleet", null)), "gw-3")
                        .path("status")
                        .asText())
                .isEqualTo("up");
    }

    private static JsonNode member(JsonNode fleet, String node) {
        for (JsonNode n : fleet.path("nodes")) {
            if (n.path("node").asText().equals(node)) {
                return n;
            }
        }
        throw new AssertionError("no " + node + " in " + fleet);
    }

    @Test
    @Order(5)
    void with_the_database_stopped_every_node_stops_answering_200_within_5_s_and_serves_again_within_10_s()
            throws Exception {
        String model = "open-small";
        if (node(1).chatStatus(aliceKey, model) == 403) {
            assertThat(node(1).admin("DELETE", "/admin/v1/directives/fleet-block-open-small", null)
                            .statusCode())
                    .isEqualTo(200);
        }
        untilEach(n -> n.chatStatus(aliceKey, model) == 200, System.nanoTime(), Duration.ofSeconds(5));
        long stopped = System.nanoTime();
        postgres.close();
        List<Duration> refused = untilEach(n -> n.chatStatus(aliceKey, model) != 200, stopped, Duration.ofSeconds(8));

        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setPort(pgPort)
                .start();
        long back = System.nanoTime();
        List<Duration> serving = untilEach(n -> n.chatStatus(aliceKey, model) == 200, back, Duration.ofSeconds(15));

        String figures = String.format(
                "database stopped: each node stopped answering 200 after %s ms; database back: each served again after"
                        + " %s ms%n",
                refused.stream().map(Duration::toMillis).toList(),
                serving.stream().map(Duration::toMillis).toList());
        System.out.print(figures);
        Files.writeString(
                FIGURES, figures, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        assertThat(refused).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(5_200)));
        assertThat(serving).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(10)));
    }

    @Test
    @Order(6)
    void every_node_log_and_published_checkpoint_verifies_fleet_wide_after_all_that() throws Exception {
        String config = dir.resolve("gw-1.yaml").toString();

        CliRun verified = CliRun.of("log", "verify", "--fleet", "--config", config);

        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("gw-1: ok", "gw-2: ok", "gw-3: ok", "ok: 3 nodes verified");
        CliRun status = CliRun.of("fleet", "status", "--config", config);
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains("gw-1", "gw-2", "gw-3");
    }

    @FunctionalInterface
    private interface Probe {
        boolean holds(NodeProcess node) throws Exception;
    }

    /** For each node, how long after {@code since} the probe first held (polled every 50 ms, up to {@code within}). */
    private List<Duration> untilEach(Probe probe, long since, Duration within) throws Exception {
        List<Duration> out = new ArrayList<>(Collections.nCopies(nodes.size(), null));
        long deadline = since + within.toNanos();
        while (out.contains(null) && System.nanoTime() < deadline) {
            for (int i = 0; i < nodes.size(); i++) {
                if (out.get(i) == null && probe.holds(nodes.get(i))) {
                    out.set(i, Duration.ofNanos(System.nanoTime() - since));
                }
            }
            Thread.sleep(50);
        }
        assertThat(out).as("every node within " + within).doesNotContainNull();
        return out;
    }
}
