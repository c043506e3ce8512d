package dev.clearance.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The shared store for several gateway nodes: PostgreSQL behind a HikariCP pool.
 *
 * <p>Every write transaction first takes one transaction-scoped advisory lock, so change sequence
 * numbers are committed in order and a node reading {@code seq > last} never skips a change that
 * committed late. Writes are administrative (principals, keys, directives), so serialising them
 * costs nothing that matters; reads are never blocked. Each change is also announced with
 * {@code NOTIFY clearance_changes}, which {@link #await} listens for.
 */
public final class PostgresStore extends JdbcStore {
    /** Arbitrary but fixed: the advisory lock that orders Clearance's writes. */
    private static final long WRITE_LOCK = 0x636c656172L; // "clear"

    private static final String CHANNEL = "clearance_changes";
    private static final int POOL_SIZE = 10;

    private final String safeUrl;
    private final HikariDataSource pool;

    private PostgresStore(String safeUrl, HikariDataSource pool, Clock clock) {
        super(clock);
        this.safeUrl = safeUrl;
        this.pool = pool;
    }

    /**
     * Connects and migrates. {@code user} and {@code password} may be {@code null} when the URL
     * carries them.
     *
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static PostgresStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, Clock.systemUTC());
    }

    static PostgresStore open(String jdbcUrl, String user, String password, Clock clock) {
        String safeUrl = Redaction.redactUrl(jdbcUrl);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("clearance-postgresql");
        hc.setJdbcUrl(jdbcUrl);
        if (user != null) {
            hc.setUsername(user);
        }
        if (password != null) {
            hc.setPassword(password);
        }
        hc.setMaximumPoolSize(POOL_SIZE);
        hc.setMinimumIdle(2);
        hc.setConnectionTimeout(10_000);
        HikariDataSource pool = null;
        try {
            pool = new HikariDataSource(hc);
            migrate(pool, Dialect.POSTGRESQL);
            return new PostgresStore(safeUrl, pool, clock);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw new StoreException(
                    "cannot open the PostgreSQL store " + safeUrl + ": "
                            + Redaction.redactUrl(SqliteStore.rootMessage(e)),
                    e);
        }
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    DataSource readers() {
        return pool;
    }

    @Override
    DataSource writers() {
        return pool;
    }

    @Override
    void beginWrite(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, WRITE_LOCK);
            ps.execute();
        }
    }

    @Override
    void beginRead(Connection c) throws SQLException {
        // Several statements (a policy and its members) must see one snapshot.
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
    }

    @Override
    void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setObject(index, instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    @Override
    Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    @Override
    void notifyChange(Connection c, long sequence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, Long.toString(sequence));
            ps.execute();
        }
    }

    @Override
    String describe() {
        return "postgresql " + safeUrl;
    }

    @Override
    public List<Change> await(long after, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            }
            try {
                PGConnection pg = c.unwrap(PGConnection.class);
                while (true) {
                    // Checked after LISTEN, so a change committed in between is not missed.
                    List<Change> changes = since(after, 1000);
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (!changes.isEmpty() || left <= 0) {
                        return changes;
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    pg.getNotifications((int) Math.min(left, 1000));
                }
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN " + CHANNEL);
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "PostgresStore[" + safeUrl + "]";
    }
}
