package dev.clearance.lifecycle;

import dev.clearance.store.Database;
import dev.clearance.store.DirectiveVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The table {@code lifecycle_schedule} (migrations V30, V31): approved versions waiting for their
 * {@code effective_from}. A due row is claimed ({@code pending -> claimed}) before it is activated,
 * so with several nodes on one database one activates it; the claim is a lease ({@link #LEASE}), so
 * a row whose node died between claiming and finishing is claimed again by another once it lapses.
 */
final class ActivationSchedule {
    /** How long a claim holds: far longer than one activation takes, short enough to notice a dead node. */
    static final Duration LEASE = Duration.ofSeconds(30);

    private final Database database;
    private final Clock clock;
    private final String node;

    ActivationSchedule(Database database, Clock clock, String node) {
        this.database = database;
        this.clock = clock;
        this.node = node;
    }

    /** Every row, soonest first. */
    List<ScheduledActivation> all() {
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT directive_id, version, due_at, requested_by, reason, state, claimed_by, done_at,"
                            + " policy_number, note, claimed_until FROM lifecycle_schedule"
                            + " ORDER BY due_at, directive_id, version")) {
                List<ScheduledActivation> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long pn = rs.getLong(9);
                        Long policy = rs.wasNull() ? null : pn;
                        String done = rs.getString(8);
                        String until = rs.getString(11);
                        out.add(new ScheduledActivation(
                                rs.getString(1),
                                rs.getInt(2),
                                Instant.parse(rs.getString(3)),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7),
                                until == null ? null : Instant.parse(until),
                                done == null ? null : Instant.parse(done),
                                policy,
                                rs.getString(10)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Schedules {@code v} for {@code due}; a cancelled or failed earlier schedule of it is replaced.
     *
     * @throws LifecycleException when it is scheduled already
     */
    void add(DirectiveVersion v, Instant due, String by, String reason) {
        Instant now = clock.instant();
        database.write(c -> {
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM lifecycle_schedule WHERE directive_id = ? AND version = ? AND state IN ('cancelled', 'failed')")) {
                del.setString(1, v.directiveId());
                del.setInt(2, v.version());
                del.executeUpdate();
            }
            if (exists(c, v)) {
                throw new LifecycleException(v.label() + " is already scheduled");
            }
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO lifecycle_schedule (directive_id, version, due_at, "
                            + "requested_by, reason, created_at, state) VALUES (?, ?, ?, ?, ?, ?, 'pending')")) {
                ps.setString(1, v.directiveId());
                ps.setInt(2, v.version());
                ps.setString(3, due.toString());
                ps.setString(4, by);
                ps.setString(5, reason == null ? "" : reason);
                ps.setString(6, now.toString());
                ps.executeUpdate();
            }
            LifecycleEvents.append(c, v.directiveId(), v.version(), "approved->scheduled for " + due, by, reason, now);
            return null;
        });
    }

    private static boolean exists(Connection c, DirectiveVersion v) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM lifecycle_schedule WHERE directive_id = ? AND version = ?")) {
            ps.setString(1, v.directiveId());
            ps.setInt(2, v.version());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Cancels a pending activation of {@code v}, if there is one. */
    void cancel(DirectiveVersion v, String by, String reason) {
        Instant now = clock.instant();
        database.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE lifecycle_schedule SET state = 'cancelled', done_at = ?, note = ? "
                            + "WHERE directive_id = ? AND version = ? AND state = 'pending'")) {
                ps.setString(1, now.toString());
                ps.setString(2, "withdrawn by " + by + (reason == null || reason.isEmpty() ? "" : ": " + reason));
                ps.setString(3, v.directiveId());
                ps.setInt(4, v.version());
                if (ps.executeUpdate() == 1) {
                    LifecycleEvents.append(c, v.directiveId(), v.version(), "scheduled->cancelled", by, reason, now);
                }
            }
            return null;
        });
    }

    /**
     * Claims {@code s} for this node, as it was read: pending, or claimed by a node whose lease lapsed.
     * False when another node claimed (or re-claimed) it first: the update matches only the row as read.
     */
    boolean claim(ScheduledActivation s) {
        return database.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE lifecycle_schedule SET state = 'claimed', claimed_by = ?, claimed_until = ?"
                            + " WHERE directive_id = ? AND version = ? AND state = ?"
                            + " AND COALESCE(claimed_until, '') = ?")) {
                ps.setString(1, node);
                ps.setString(2, clock.instant().plus(LEASE).toString());
                ps.setString(3, s.directiveId());
                ps.setInt(4, s.version());
                ps.setString(5, s.state());
                ps.setString(6, s.claimedUntil() == null ? "" : s.claimedUntil().toString());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Records what became of a claimed row: {@code activated} (with its policy number) or {@code failed}. */
    void finish(ScheduledActivation s, String state, Long policy, String note) {
        Instant now = clock.instant();
        database.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE lifecycle_schedule SET state = ?, done_at = ?, policy_number = ?, "
                            + "note = ? WHERE directive_id = ? AND version = ?")) {
                ps.setString(1, state);
                ps.setString(2, now.toString());
                if (policy == null) {
                    ps.setNull(3, Types.BIGINT);
                } else {
                    ps.setLong(3, policy);
                }
                ps.setString(4, note);
                ps.setString(5, s.directiveId());
                ps.setInt(6, s.version());
                ps.executeUpdate();
            }
            if (state.equals("failed")) {
                // An activation is in the directive's own history; a failure is only here.
                LifecycleEvents.append(
                        c, s.directiveId(), s.version(), "scheduled->failed", "scheduler on " + node, note, now);
            }
            return null;
        });
    }
}
