package dev.clearance.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@code changes} table, read in sequence order; waiting uses the database's own signal. */
final class JdbcChangeFeed implements ChangeFeed {
    /** The most changes one {@link Subscription#next} reads; the caller asks again from the last one. */
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
    public Subscription subscribe() {
        try {
            return new Listening(db.listen());
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    /** One open signal; the table is read when it starts, and whenever announcements do not suffice. */
    private final class Listening implements Subscription {
        private final JdbcDatabase.ChangeSignal signal;
        private boolean readSinceListening;
        private long currentAsOf;

        Listening(JdbcDatabase.ChangeSignal signal) {
            this.signal = signal;
        }

        @Override
        public List<Change> next(long after, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            if (!readSinceListening) {
                // Read after listening started, so a change committed in between is not missed.
                readSinceListening = true;
                List<Change> changes = read(after);
                if (!changes.isEmpty()) {
                    return changes;
                }
            }
            try {
                while (true) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        return read(after); // nothing announced: look, which also proves the store is there
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    JdbcDatabase.Announcement heard = signal.await(left);
                    long heardAt = System.nanoTime();
                    if (!heard.complete()) {
                        List<Change> changes = read(after);
                        if (!changes.isEmpty()) {
                            return changes;
                        }
                        continue;
                    }
                    List<Change> fresh = heard.changes().stream()
                            .filter(c -> c.sequence() > after)
                            .toList();
                    if (fresh.isEmpty()) {
                        continue;
                    }
                    if (inSequence(after, fresh)) {
                        currentAsOf = heardAt;
                        return fresh;
                    }
                    // A gap (a sequence number a rolled-back write used, or an announcement not heard):
                    // the table has the truth.
                    return read(after);
                }
            } catch (SQLException e) {
                throw db.failure(e);
            }
        }

        private List<Change> read(long after) {
            long start = System.nanoTime();
            List<Change> changes = since(after, PAGE);
            currentAsOf = start;
            return changes;
        }

        @Override
        public long currentAsOf() {
            return currentAsOf;
        }

        @Override
        public void close() {
            try {
                signal.close();
            } catch (SQLException e) {
                // The connection is gone already (a lost store); nothing is left to release.
            }
        }
    }

    /** Whether {@code changes} are exactly the sequence numbers after {@code after}, with no gap. */
    static boolean inSequence(long after, List<Change> changes) {
        long expected = after + 1;
        for (Change c : changes) {
            if (c.sequence() != expected++) {
                return false;
            }
        }
        return true;
    }
}
