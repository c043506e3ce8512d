package dev.clearance.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The file-load contract against a real PostgreSQL server (embedded binaries), one database per test. */
class PostgresFileLoadsTest extends FileLoadsContract {
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Override
    Store newStore() throws Exception {
        String name = "file_loads_" + DATABASES.incrementAndGet();
        try (var c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return Store.open(postgres.getJdbcUrl("postgres", name));
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
