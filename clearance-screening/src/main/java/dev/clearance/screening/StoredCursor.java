package dev.clearance.screening;

import dev.clearance.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * A position screening keeps in the store ({@code screening_state}), so that it resumes where it
 * left off from any process: how far the change feed was followed, the last review handed on.
 */
final class StoredCursor {
    private final Database db;
    private final String name;

    StoredCursor(Database db, String name) {
        this.db = db;
        this.name = name;
    }

    /** The stored position, 0 when never written. */
    long get() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM screening_state WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Long.parseLong(rs.getString(1)) : 0L;
                }
            }
        });
    }

    void set(long value) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO screening_state (name, value) VALUES (?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, name);
                ps.setString(2, Long.toString(value));
                ps.executeUpdate();
            }
            return null;
        });
    }
}
