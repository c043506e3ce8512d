package dev.clearance.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fleet tables of migration V4: {@code fleet_nodes} (one row per node, rewritten by its node),
 * {@code fleet_applications} and {@code fleet_checkpoints} (append-only). Written outside the write
 * lock ({@link JdbcDatabase#writeUnordered}): a heartbeat must not wait behind a long import.
 */
final class JdbcFleet implements Fleet {
    private final JdbcDatabase db;

    JdbcFleet(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public void register(String node, String logKey, String logDirectory) {
        Instant now = db.clock.instant();
        db.writeUnordered(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO fleet_nodes (node, started_at, last_seen, log_key, log_directory) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (node) DO UPDATE SET started_at = excluded.started_at,"
                            + " last_seen = excluded.last_seen, log_key = excluded.log_key,"
                            + " log_directory = excluded.log_directory")) {
                ps.setString(1, node);
                db.setInstant(ps, 2, now);
                db.setInstant(ps, 3, now);
                ps.setString(4, logKey == null ? "" : logKey);
                ps.setString(5, logDirectory == null ? "" : logDirectory);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void heartbeat(String node) {
        Instant now = db.clock.instant();
        db.writeUnordered(c -> {
            // An upsert: a node whose row was removed meanwhile appears again.
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO fleet_nodes (node, started_at, last_seen) VALUES (?, ?, ?)"
                            + " ON CONFLICT (node) DO UPDATE SET last_seen = excluded.last_seen")) {
                ps.setString(1, node);
                db.setInstant(ps, 2, now);
                db.setInstant(ps, 3, now);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void applied(PolicyApplication a) {
        Instant now = db.clock.instant();
        db.writeUnordered(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO fleet_applications (node, policy_number, policy_version, applied_at, log_size)"
                            + " VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, a.node());
                ps.setLong(2, a.policyNumber());
                ps.setString(3, a.policyVersion());
                db.setInstant(ps, 4, a.appliedAt());
                ps.setLong(5, a.logSize());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_nodes (node, started_at, last_seen,"
                    + " policy_number, policy_version, applied_at, log_size) VALUES (?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (node) DO UPDATE SET last_seen = excluded.last_seen,"
                    + " policy_number = excluded.policy_number, policy_version = excluded.policy_version,"
                    + " applied_at = excluded.applied_at, log_size = excluded.log_size")) {
                ps.setString(1, a.node());
                db.setInstant(ps, 2, now);
                db.setInstant(ps, 3, now);
                ps.setLong(4, a.policyNumber());
                ps.setString(5, a.policyVersion());
                db.setInstant(ps, 6, a.appliedAt());
                ps.setLong(7, a.logSize());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void publish(PublishedCheckpoint p) {
        db.writeUnordered(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_checkpoints"
                    + " (node, size, checkpoint, proof, published_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, p.node());
                ps.setLong(2, p.size());
                ps.setString(3, p.checkpoint());
                ps.setString(4, p.proof());
                db.setInstant(ps, 5, p.publishedAt());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<FleetNode> nodes() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM fleet_nodes ORDER BY node")) {
                List<FleetNode> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String node = rs.getString("node");
                        long number = rs.getLong("policy_number");
                        Optional<PolicyApplication> applied = rs.wasNull()
                                ? Optional.empty()
                                : Optional.of(new PolicyApplication(
                                        node,
                                        number,
                                        rs.getString("policy_version"),
                                        db.getInstant(rs, "applied_at"),
                                        rs.getLong("log_size")));
                        out.add(new FleetNode(
                                node,
                                db.getInstant(rs, "started_at"),
                                db.getInstant(rs, "last_seen"),
                                applied,
                                rs.getString("log_key"),
                                rs.getString("log_directory")));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<PolicyApplication> applications(String node) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT * FROM fleet_applications WHERE node = ? ORDER BY seq")) {
                ps.setString(1, node);
                List<PolicyApplication> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new PolicyApplication(
                                node,
                                rs.getLong("policy_number"),
                                rs.getString("policy_version"),
                                db.getInstant(rs, "applied_at"),
                                rs.getLong("log_size")));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<PublishedCheckpoint> checkpoints(String node) {
        return db.read(c -> checkpoints(c, node, "SELECT * FROM fleet_checkpoints WHERE node = ? ORDER BY seq"));
    }

    @Override
    public Optional<PublishedCheckpoint> latestCheckpoint(String node) {
        return db
                .read(c -> checkpoints(
                        c, node, "SELECT * FROM fleet_checkpoints WHERE node = ? ORDER BY seq DESC LIMIT 1"))
                .stream()
                .findFirst();
    }

    private List<PublishedCheckpoint> checkpoints(Connection c, String node, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, node);
            List<PublishedCheckpoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PublishedCheckpoint(
                            node,
                            rs.getLong("size"),
                            rs.getString("checkpoint"),
                            rs.getString("proof"),
                            db.getInstant(rs, "published_at")));
                }
            }
            return out;
        }
    }
}
