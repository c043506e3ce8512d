package dev.clearance.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The shared database for several gateway nodes: PostgreSQL behind a HikariCP pool.
 *
 * <p>Every write transaction first takes one transaction-scoped advisory lock, so change sequence
 * numbers are committed in order and a node reading {@code seq > last} never skips a change that
 * committed late. Writes are administrative (principals, keys, directives), so serialising them
 * costs nothing that matters; reads are never blocked. Each change is also announced with
 * {@code NOTIFY clearance_changes} carrying the change itself, which {@link #listen} waits for.
 */
final class PostgresDatabase extends JdbcDatabase {
    /** Arbitrary but fixed: the advisory lock that orders Clearance's writes. */
    private static final long WRITE_LOCK = 0x636c656172L; // "clear"

    private static final String CHANNEL = "clearance_changes";
    private static final int POOL_SIZE = 10;
    /** The longest a listener blocks in the driver, which does not see interrupts, before looking again. */
    private static final long MAX_WAIT_MILLIS = 1000;

    private final String safeUrl;
    private final HikariDataSource pool;

    private PostgresDatabase(String safeUrl, HikariDataSource pool, Clock clock) {
        super(clock);
        this.safeUrl = safeUrl;
        this.pool = pool;
    }

    /**
     * Connects and migrates; the URL carries the user and password.
     *
     * @throws StoreException when the database cannot be reached or migrated (the message never
     *                        contains the password)
     */
    static PostgresDatabase open(String jdbcUrl, Clock clock) {
        String safeUrl = Redaction.redactUrl(jdbcUrl);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("clearance-postgresql");
        hc.setJdbcUrl(jdbcUrl);
        hc.setMaximumPoolSize(POOL_SIZE);
        hc.setMinimumIdle(2);
        hc.setConnectionTimeout(10_000);
        HikariDataSource pool = null;
        try {
            pool = new HikariDataSource(hc);
            migrate(pool, Dialect.POSTGRESQL);
            return new PostgresDatabase(safeUrl, pool, clock);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw new StoreException(
                    "cannot open the PostgreSQL store " + safeUrl + ": " + Redaction.redactUrl(rootMessage(e)), e);
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

    /**
     * Announces the change with its content ({@link ChangePayload}), so a follower applies it
     * without reading the table. NOTIFY is delivered at commit, in commit order (the write lock
     * makes that the sequence order).
     */
    @Override
    void notifyChange(Connection c, Change change) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, ChangePayload.write(change));
            ps.execute();
        }
    }

    /** LISTENs on a pooled connection of its own until closed. */
    @Override
    ChangeSignal listen() throws SQLException {
        Connection c = pool.getConnection();
        try {
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            }
            PGConnection pg = c.unwrap(PGConnection.class);
            return new ChangeSignal() {
                @Override
                public Announcement await(long millis) throws SQLException {
                    PGNotification[] heard = pg.getNotifications((int) Math.max(1, Math.min(MAX_WAIT_MILLIS, millis)));
                    return ChangePayload.read(
                            heard == null
                                    ? List.of()
                                    : Arrays.stream(heard)
                                            .map(PGNotification::getParameter)
                                            .toList());
                }

                @Override
                public void close() throws SQLException {
                    try (c;
                            Statement s = c.createStatement()) {
                        s.execute("UNLISTEN " + CHANNEL);
                    }
                }
            };
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    String describe() {
        return "postgresql " + safeUrl;
    }

    @Override
    void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "PostgresStore[" + safeUrl + "]";
    }
}
