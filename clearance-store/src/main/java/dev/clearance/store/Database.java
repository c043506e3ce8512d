package dev.clearance.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The database under the store, for modules that keep their own tables beside it (screening,
 * lifecycle, ...).
 *
 * <p>Adding tables: put Flyway migrations in your module's jar under
 * {@code db/migration/sqlite/} and {@code db/migration/postgresql/}, numbered inside your range
 * (store V1-V19, screening V20-V29, lifecycle V30-V39). They run when the store opens, in version
 * order; migrations of a module missing from the class path are tolerated, and out-of-order
 * application is on because the ranges interleave across releases.
 *
 * <p>Writing: use {@link #write}, which gives the one-writer discipline SQLite needs and orders
 * changes on PostgreSQL. Reading: {@link #read}, a read-only transaction with a consistent snapshot.
 */
public interface Database {

    /** Which SQL dialect the migrations and statements are in. */
    Dialect dialect();

    /** Connections for reading. Prefer {@link #read}; do not write through this. */
    DataSource dataSource();

    /** Runs {@code work} in a write transaction: committed when it returns, rolled back when it throws. */
    <T> T write(Work<T> work);

    /** Runs {@code work} in a read-only transaction over a consistent snapshot. */
    <T> T read(Work<T> work);

    /**
     * Appends a change to the feed inside a {@link #write} transaction, so nodes notice it.
     *
     * @return its sequence number
     */
    long recordChange(Connection connection, String kind, String subject) throws SQLException;

    /** The two databases Clearance runs on. */
    enum Dialect {
        SQLITE,
        POSTGRESQL
    }

    /** A unit of work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }
}
