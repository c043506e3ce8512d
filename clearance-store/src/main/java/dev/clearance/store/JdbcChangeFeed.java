package dev.clearance.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@code changes} table, read in sequence order; waiting uses the database's own signal. */
final class JdbcChangeFeed implements ChangeFeed {
    /** The most changes one {@link #await} returns; the caller asks again from the last one. */
    static final int PAGE = 1000;

    private final JdbcDatabase db;

    JdbcChangeFeed(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public long lastSequence() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM changes");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public List<Change> since(long after, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT * FROM changes WHERE seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, after);
                ps.setInt(2, limit);
                List<Change> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Change(
                                rs.getLong("seq"),
                                rs.getString("kind"),
                                rs.getString("subject"),
                                db.getInstant(rs, "at")));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<Change> await(long after, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (JdbcDatabase.ChangeSignal signal = db.listen()) {
            while (true) {
                // Read after listening, so a change committed in between is not missed.
                List<Change> changes = since(after, PAGE);
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (!changes.isEmpty() || left <= 0) {
                    return changes;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                signal.await(left);
            }
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }
}
