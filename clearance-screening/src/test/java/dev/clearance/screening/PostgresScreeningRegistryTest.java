package dev.clearance.screening;

import dev.clearance.store.Store;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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

    @Override
    Store newStore(Path dir) throws Exception {
        String name = "screening_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE screening_template");
        return Store.open(postgres.getJdbcUrl("postgres", name));
    }
}
