package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Compare-and-set activation under real concurrency, on both databases: several writers each derive
 * their next policy from the active one and activate it, re-deriving when another came first (as the
 * admin API does) or giving up after a few tries (as the CLI does). Whatever the interleaving, every
 * acknowledged change is in the final policy and no refused one is: nothing is lost or resurrected.
 */
class ConcurrentActivationTest {
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    /** Refusals seen in the current try: the property means little if writers never collided. */
    private static final AtomicInteger CONFLICTS = new AtomicInteger();

    @BeforeContainer
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        execute("CREATE DATABASE clearance_template");
        Store.open(postgres.getJdbcUrl("postgres", "clearance_template")).close();
    }

    @AfterContainer
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** One writer's step on a directive only it writes: put (add or amend) it, or withdraw it. */
    record Step(int directive, boolean put) {}

    @Provide
    Arbitrary<List<List<Step>>> writers() {
        Arbitrary<Step> step = Arbitraries.integers()
                .between(0, 2)
                .flatMap(d -> Arbitraries.of(true, true, false).map(put -> new Step(d, put)));
        return step.list().ofMinSize(1).ofMaxSize(6).list().ofMinSize(2).ofMaxSize(5);
    }

    @Property(tries = 8)
    @StatisticsReport(onFailureOnly = true)
    void on_postgresql_every_acknowledged_change_is_in_force_at_the_end(
            @ForAll("writers") List<List<Step>> writers, @ForAll boolean giveUpEarly) throws Exception {
        String name = "clearance_cas_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE clearance_template");
        try (Store store = Store.open(postgres.getJdbcUrl("postgres", name))) {
            check(store, writers, giveUpEarly ? 2 : 1000);
        }
        Statistics.label("writers collided").coverage(c -> c.check(true).count(n -> n > 0));
    }

    @Property(tries = 8)
    @StatisticsReport(onFailureOnly = true)
    void on_sqlite_every_acknowledged_change_is_in_force_at_the_end(
            @ForAll("writers") List<List<Step>> writers, @ForAll boolean giveUpEarly) throws Exception {
        Path dir = Files.createTempDirectory("clearance-cas-");
        try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("clearance.db"))) {
            check(store, writers, giveUpEarly ? 2 : 1000);
            Statistics.label("writers collided").coverage(c -> c.check(true).count(n -> n > 0));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * Runs the writers at once, each step derived from the active policy and tried at most
     * {@code attempts} times; then compares the policy in force with what each writer was told.
     */
    private static void check(Store store, List<List<Step>> writers, int attempts) throws Exception {
        CONFLICTS.set(0);
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Map<String, String>>> outcomes = new ArrayList<>();
        try {
            for (int w = 0; w < writers.size(); w++) {
                int writer = w;
                List<Step> steps = writers.get(w);
                outcomes.add(CompletableFuture.supplyAsync(
                        () -> {
                            awaitQuietly(start);
                            // What this writer was told is in force for its own directives (text, or absent).
                            Map<String, String> acknowledged = new HashMap<>();
                            for (int i = 0; i < steps.size(); i++) {
                                Step s = steps.get(i);
                                String id = "W" + writer + "-D" + s.directive();
                                String text = s.put() ? "id: " + id + "\nstep: " + i + "\n" : null;
                                if (change(store, id, text, attempts)) {
                                    acknowledged.put(id, text);
                                }
                            }
                            return acknowledged;
                        },
                        pool));
            }
            start.countDown();
            Map<String, String> expected = new TreeMap<>();
            for (CompletableFuture<Map<String, String>> o : outcomes) {
                o.get(120, TimeUnit.SECONDS).forEach((id, text) -> {
                    if (text != null) {
                        expected.put(id, text);
                    }
                });
            }

            Map<String, String> inForce = new TreeMap<>();
            store.policies()
                    .active()
                    .ifPresent(p -> p.directives().forEach(d -> inForce.put(d.directiveId(), d.text())));
            assertThat(inForce).isEqualTo(expected);
            List<PolicyVersion> history = store.policies().history();
            for (int i = 0; i < history.size(); i++) {
                assertThat(history.get(i).number()).isEqualTo(i + 1);
            }
            Statistics.label("writers collided").collect(CONFLICTS.get() > 0);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Puts ({@code text}) or withdraws (null) one directive in the active set: read, derive, activate
     * based on what was read; again on a conflict, at most {@code attempts} times.
     *
     * @return whether the store acknowledged the change
     */
    private static boolean change(Store store, String id, String text, int attempts) {
        for (int attempt = 0; attempt < attempts; attempt++) {
            var active = store.policies().active();
            Map<String, DirectiveText> next = new TreeMap<>();
            active.ifPresent(p -> p.directives()
                    .forEach(d ->
                            next.put(d.directiveId(), new DirectiveText(d.directiveId(), d.sourceFile(), d.text()))));
            if (text == null) {
                next.remove(id);
            } else {
                next.put(id, new DirectiveText(id, id + ".yaml", text));
            }
            try {
                store.policies()
                        .activate(
                                active.map(PolicyVersion::number).orElse(PolicyVersions.NONE),
                                List.copyOf(next.values()),
                                "hash-" + next.hashCode(),
                                "writer",
                                "property");
                return true;
            } catch (StoreException.PolicyConflict e) {
                CONFLICTS.incrementAndGet();
                assertThat(e.active()).isGreaterThan(e.basedOn());
            }
        }
        return false;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
