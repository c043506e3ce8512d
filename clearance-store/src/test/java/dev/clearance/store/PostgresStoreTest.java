package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The same contract against a real PostgreSQL server (embedded binaries), one fresh database per test. */
class PostgresStoreTest extends StoreContract {
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        // Migrate once; each test then copies the migrated database (much faster than migrating again).
        execute("CREATE DATABASE clearance_template");
        Store.open(postgres.getJdbcUrl("postgres", "clearance_template")).close();
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Override
    Store newStore() throws Exception {
        String name = "clearance_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE clearance_template");
        return Store.open(postgres.getJdbcUrl("postgres", name));
    }

    @Test
    void every_change_is_announced_with_notify_carrying_the_change_itself() throws Exception {
        try (Connection listener = store.database().dataSource().getConnection();
                Statement s = listener.createStatement()) {
            listener.setAutoCommit(true);
            s.execute("LISTEN clearance_changes");

            PolicyVersion p =
                    store.policies().activate(PolicyVersions.NONE, List.of(directive("D1", "a")), "h1", "ann", "first");

            PGNotification[] received = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertThat(received).hasSize(1);
            Change announced = ChangePayload.parse(received[0].getParameter());
            assertThat(announced).isEqualTo(store.changes().since(0, 10).get(0));
            assertThat(announced.kind()).isEqualTo(Change.Kind.POLICY_ACTIVATED);
            assertThat(announced.subject()).isEqualTo(Long.toString(p.number()));
            s.execute("UNLISTEN clearance_changes");
        }
    }

    @Test
    void a_subscription_hands_over_announced_changes_without_reading_the_table() throws Exception {
        try (ChangeFeed.Subscription subscription = store.changes().subscribe()) {
            long start = store.changes().lastSequence();
            assertThat(subscription.next(start, java.time.Duration.ofMillis(50)))
                    .isEmpty();
            long quiet = subscription.currentAsOf();

            store.principals().put(person("alice", "US"), "admin");
            // Announced in sequence: returned as heard, so the node is current as of hearing it.
            List<Change> heard = subscription.next(start, java.time.Duration.ofSeconds(10));

            assertThat(heard).extracting(Change::subject).containsExactly("alice");
            assertThat(heard).isEqualTo(store.changes().since(start, 10));
            assertThat(subscription.currentAsOf()).isGreaterThan(quiet);
        }
    }

    @Test
    void no_history_table_can_be_truncated_not_even_with_cascade() {
        store.policies().activate(PolicyVersions.NONE, List.of(directive("D1", "a")), "h1", "ann", "first");
        List<Integer> before = rowsIn(HISTORY_TABLES);

        // CASCADE passes the foreign-key check that refuses a plain TRUNCATE of a referenced table.
        List<String> statements =
                new java.util.ArrayList<>(List.of("TRUNCATE directive_events", "TRUNCATE policy_members"));
        HISTORY_TABLES.forEach(table -> statements.add("TRUNCATE " + table + " CASCADE"));
        for (String sql : statements) {
            assertThatThrownBy(() -> store.database().write(c -> {
                        try (Statement s = c.createStatement()) {
                            return s.executeUpdate(sql);
                        }
                    }))
                    .as(sql)
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("append-only (TRUNCATE refused)");
        }
        assertThat(rowsIn(HISTORY_TABLES)).isEqualTo(before).allMatch(n -> n > 0);
    }

    @Test
    void a_postgresql_store_speaks_the_postgresql_dialect() {
        assertThat(store.database().dialect()).isEqualTo(Database.Dialect.POSTGRESQL);
    }

    @Test
    void an_unreachable_server_is_an_error_without_the_password() {
        assertThatThrownBy(
                        () -> Store.open("jdbc:postgresql://127.0.0.1:1/none?user=u&password=hunter2&connectTimeout=1"))
                .isInstanceOf(StoreException.class)
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void truncate_cannot_remove_the_record_of_loads_either() {
        store.fileLoads().record(FileLoads.Source.PRINCIPALS, "/p.jsonl", "abc", 0, 1, "serve");
        assertThatThrownBy(() -> store.database().write(c -> {
                    try (Statement s = c.createStatement()) {
                        return s.executeUpdate("TRUNCATE file_loads");
                    }
                }))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("append-only");
    }
}
