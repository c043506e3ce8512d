package dev.clearance.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded database: one SQLite file in WAL mode. Readers share a small pool and never block the
 * writer; all writes go through a single connection that starts its transactions {@code IMMEDIATE},
 * so two writers never deadlock upgrading a read lock (one writer is what SQLite supports anyway).
 * Back it up with {@code sqlite3 clearance.db ".backup copy.db"} (see docs/operations.md).
 */
final class SqliteDatabase extends JdbcDatabase {
    private static final int READERS = 4;
    /** How often a reader waiting for changes looks again: SQLite cannot announce them across processes. */
    private static final long POLL_MILLIS = 100;

    private final Path file;
    private final HikariDataSource writer;
    private final HikariDataSource readers;

    private SqliteDatabase(Path file, HikariDataSource writer, HikariDataSource readers, Clock clock) {
        super(clock);
        this.file = file;
        this.writer = writer;
        this.readers = readers;
    }

    /** Opens (creating if needed) the database in {@code file}, creating its directory, and migrates it. */
    static SqliteDatabase open(Path file, Clock clock) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            createPrivately(absolute);
        } catch (IOException e) {
            throw new StoreException("cannot create the data directory for " + absolute + ": " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + absolute;
        HikariDataSource writer = null;
        try {
            migrate(dataSource(url, SQLiteConfig.TransactionMode.IMMEDIATE), Dialect.SQLITE);
            writer = pool("clearance-sqlite-writer", dataSource(url, SQLiteConfig.TransactionMode.IMMEDIATE), 1);
            HikariDataSource readers =
                    pool("clearance-sqlite-readers", dataSource(url, SQLiteConfig.TransactionMode.DEFERRED), READERS);
            return new SqliteDatabase(absolute, writer, readers, clock);
        } catch (RuntimeException e) {
            if (writer != null) {
                writer.close();
            }
            throw e instanceof StoreException se
                    ? se
                    : new StoreException("cannot open the SQLite store " + absolute + ": " + rootMessage(e), e);
        }
    }

    /**
     * Creates the data directory (0700) and an empty database file (0600) when they do not exist:
     * the file holds personal data (citizenships) and key hashes, so only its owner may read it.
     * SQLite gives the -wal and -shm files the database file's permissions.
     */
    private static void createPrivately(Path file) throws IOException {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path dir = file.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        if (posix && !Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
    }

    private static SQLiteDataSource dataSource(String url, SQLiteConfig.TransactionMode mode) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a committed directive or policy version survives a power cut, not only a crash.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        config.setTransactionMode(mode);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url);
        return ds;
    }

    private static HikariDataSource pool(String name, DataSource ds, int size) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setDataSource(ds);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        return new HikariDataSource(hc);
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    DataSource readers() {
        return readers;
    }

    @Override
    DataSource writers() {
        return writer;
    }

    @Override
    void beginWrite(Connection c) {
        // The single pooled writer connection is the lock; IMMEDIATE takes SQLite's write lock at BEGIN.
    }

    @Override
    void beginRead(Connection c) {
        // A deferred transaction in WAL mode reads one snapshot.
    }

    @Override
    void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setString(index, instant == null ? null : instant.toString());
    }

    @Override
    Instant getInstant(ResultSet rs, String column) throws SQLException {
        String s = rs.getString(column);
        return s == null ? null : Instant.parse(s);
    }

    @Override
    void notifyChange(Connection c, Change change) {
        // Readers poll the changes table; there is no one to notify.
    }

    @Override
    ChangeSignal listen() {
        return new ChangeSignal() {
            @Override
            public Announcement await(long millis) throws InterruptedException {
                Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, millis)));
                return Announcement.LOOK;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    String describe() {
        return "sqlite " + file;
    }

    @Override
    void close() {
        readers.close();
        writer.close();
    }

    @Override
    public String toString() {
        return "SqliteStore[" + file + "]";
    }
}
