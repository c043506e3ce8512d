package dev.clearance.screening;

import static dev.clearance.screening.ListImporterTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same behaviour on a real PostgreSQL server (embedded binaries), one fresh database per test. */
class PostgresScreeningRegistryTest extends ScreeningRegistryContract {
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        // Migrate once (store V1 and screening V20); each test copies the migrated database.
        execute("CREATE DATABASE screening_template");
        Store.open(postgres.getJdbcUrl("postgres", "screening_template")).close();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void reviews_cannot_be_truncated() throws Exception {
        screening.activate(importer.ofacSdn(resource("ofac")), "ann");
        screening.review("elena", "SDN", "26233", ReviewVerdict.FALSE_POSITIVE, "not her", "rev");

        for (String sql : List.of("TRUNCATE screening_reviews", "TRUNCATE screening_reviews CASCADE")) {
            assertThatThrownBy(() -> store.database().write(c -> {
                        try (Statement s = c.createStatement()) {
                            return s.executeUpdate(sql);
                        }
                    }))
                    .as(sql)
                    .hasMessageContaining("append-only");
        }
        assertThat(screening.reviewsOf("elena")).hasSize(1);
    }

    @Override
    Store newStore(Path dir) throws Exception {
        String name = "screening_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE screening_template");
        return Store.open(postgres.getJdbcUrl("postgres", name));
    }
}
