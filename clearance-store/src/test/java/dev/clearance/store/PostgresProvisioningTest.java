package dev.clearance.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The provisioning contract against a real PostgreSQL server, one fresh database per test. */
class PostgresProvisioningTest extends ProvisioningContract {
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        execute("CREATE DATABASE provisioning_template");
        Store.open(postgres.getJdbcUrl("postgres", "provisioning_template")).close();
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
        String name = "provisioning_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE provisioning_template");
        return Store.open(postgres.getJdbcUrl("postgres", name));
    }
}
