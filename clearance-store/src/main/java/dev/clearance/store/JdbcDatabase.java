package dev.clearance.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Connections and transactions, written once: every part of the store (principals, keys, directive
 * and policy versions, the change feed) and every module with its own tables reads and writes
 * through this. A subclass supplies what differs between the databases: its pools, how a write
 * transaction takes the one-writer lock, how timestamps are bound, and how a change is announced.
 */
abstract sealed class JdbcDatabase implements Database permits SqliteDatabase, PostgresDatabase {
    final Clock clock;

    JdbcDatabase(Clock clock) {
        this.clock = clock;
    }

    // ---- what each database supplies ----

    /** Connections that read. */
    abstract DataSource readers();

    /** Connections that write; SQLite hands out exactly one. */
    abstract DataSource writers();

    /** Called first in every write transaction. */
    abstract void beginWrite(Connection c) throws SQLException;

    /** Called before the first statement of every read transaction. */
    abstract void beginRead(Connection c) throws SQLException;

    abstract void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException;

    abstract Instant getInstant(ResultSet rs, String column) throws SQLException;

    /** Called after a change row is inserted, inside its transaction. */
    abstract void notifyChange(Connection c, Change change) throws SQLException;

    /** Starts listening for announced changes, for {@link ChangeFeed#subscribe}. */
    abstract ChangeSignal listen() throws SQLException;

    /** A short name for messages: the database and where it is, without secrets. */
    abstract String describe();

    /** Closes the pools; the database is unusable afterwards. */
    abstract void close();

    /**
     * Wakes a reader waiting for changes: PostgreSQL when a change is announced (the announcement
     * carries the change itself), SQLite after a poll interval.
     */
    interface ChangeSignal extends AutoCloseable {
        /** Waits at most {@code millis} for announcements. */
        Announcement await(long millis) throws SQLException, InterruptedException;

        @Override
        void close() throws SQLException;
    }

    /**
     * What a wait heard: the changes announced, in commit order, and whether that is all that was
     * announced. When it is not complete (SQLite, which announces nothing; a payload too large to
     * carry), the reader looks in the table.
     */
    record Announcement(List<Change> changes, boolean complete) {
        static final Announcement LOOK = new Announcement(List.of(), false);

        Announcement {
            changes = List.copyOf(changes);
        }
    }

    static void migrate(DataSource dataSource, Dialect dialect) {
        String folder = dialect == Dialect.SQLITE ? "sqlite" : "postgresql";
        Flyway.configure(JdbcDatabase.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + folder)
                // Modules own interleaved version ranges and may be absent from a given process.
                .outOfOrder(true)
                .ignoreMigrationPatterns("*:missing", "*:future")
                .load()
                .migrate();
    }

    // ---- Database ----

    @Override
    public DataSource dataSource() {
        return readers();
    }

    @Override
    public <T> T write(Work<T> work) {
        return transaction(writers(), this::beginWrite, work);
    }

    @Override
    public <T> T read(Work<T> work) {
        return transaction(readers(), this::beginRead, work);
    }

    /** Runs {@code work} in one transaction on a connection from {@code pool}: committed, or rolled back. */
    private <T> T transaction(DataSource pool, Begin begin, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                begin.on(c);
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @FunctionalInterface
    private interface Begin {
        void on(Connection c) throws SQLException;
    }

    @Override
    public long recordChange(Connection c, String kind, String subject) throws SQLException {
        long seq;
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO changes (kind, subject, at) VALUES (?, ?, ?) RETURNING seq")) {
            ps.setString(1, kind);
            ps.setString(2, subject);
            // Microseconds, as PostgreSQL keeps them: the announced change equals the stored one.
            Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            setInstant(ps, 3, at);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
            notifyChange(c, new Change(seq, kind, subject, at));
        }
        return seq;
    }

    /**
     * Runs {@code work} in a write transaction that is not ordered with the change feed: for rows
     * only their writer changes and no node follows (a node's heartbeat, its proof of application),
     * so they never wait behind the write lock another writer's long import holds.
     */
    <T> T writeUnordered(Work<T> work) {
        return transaction(writers(), c -> {}, work);
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    StoreException failure(SQLException e) {
        return new StoreException("store " + describe() + " failed: " + e.getMessage(), e);
    }

    /** Who a record names when the caller named nobody. */
    static String actor(String by) {
        return by == null || by.isBlank() ? "unknown" : by;
    }

    /** The innermost cause's message, for errors on open (the driver's wrappers say little). */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
