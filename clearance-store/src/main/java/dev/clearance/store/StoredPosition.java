package dev.clearance.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A position a module keeps in the store, so that it resumes where it left off from any process
 * and across restarts: how far a feed was followed, the last record handed on to the decision log.
 * Kept in the module's own {@code (name TEXT PRIMARY KEY, value TEXT NOT NULL)} table (e.g.
 * {@code screening_state}, {@code lifecycle_state}).
 */
public final class StoredPosition {
    private static final Pattern TABLE = Pattern.compile("[a-z_]+");

    private final Database db;
    private final String table;
    private final String name;

    /**
     * @param table the module's state table (a fixed name from the module's migrations, never input)
     * @param name  the position's name in it
     */
    public StoredPosition(Database db, String table, String name) {
        this.db = Objects.requireNonNull(db);
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        this.table = table;
        this.name = Objects.requireNonNull(name);
    }

    /** The stored position, 0 when never written. */
    public long get() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM " + table + " WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Long.parseLong(rs.getString(1)) : 0L;
                }
            }
        });
    }

    public void set(long value) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (name, value) VALUES (?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, name);
                ps.setString(2, Long.toString(value));
                ps.executeUpdate();
            }
            return null;
        });
    }
}
