package dev.clearance.lifecycle;

import dev.clearance.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The table {@code lifecycle_events} (migration V32): the schedule's steps that change no directive
 * version's status (scheduled for its effective_from, cancelled, failed), append-only, written in the
 * same transaction as the schedule row they describe. The store's {@code directive_events} hold the
 * others; {@link RecordedSteps} hands both on to the decision log.
 */
final class LifecycleEvents {
    private LifecycleEvents() {}

    /** One schedule step of a directive version. */
    record Event(
            long sequence, String directiveId, int version, String step, String actor, String reason, Instant at) {}

    static void append(
            Connection c, String directiveId, int version, String step, String actor, String reason, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO lifecycle_events"
                + " (directive_id, version, step, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, directiveId);
            ps.setInt(2, version);
            ps.setString(3, step);
            ps.setString(4, actor);
            ps.setString(5, reason == null ? "" : reason);
            ps.setString(6, at.toString());
            ps.executeUpdate();
        }
    }

    /** The events after {@code sequence}, oldest first, at most {@code limit}. */
    static List<Event> after(Database db, long sequence, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, directive_id, version, step, actor, reason, at"
                    + " FROM lifecycle_events WHERE seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, sequence);
                ps.setInt(2, limit);
                List<Event> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Event(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getInt(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                Instant.parse(rs.getString(7))));
                    }
                }
                return out;
            }
        });
    }
}
