package dev.clearance.store;

import static dev.clearance.store.JdbcDatabase.actor;

import dev.clearance.core.Sha256;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Directive versions ({@code directive_versions}) and their status history ({@code directive_events}).
 * The package-private methods that take a connection run inside a caller's transaction: a policy
 * activation stores and moves versions in the same transaction as the policy version itself.
 */
final class JdbcDirectiveVersions implements DirectiveVersions {
    static final String COLUMNS =
            "directive_id, version, source_file, text, text_hash, status, author, approver, created_at";

    private final JdbcDatabase db;

    JdbcDirectiveVersions(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public DirectiveVersion propose(DirectiveText directive, String author, String reason) {
        return db.write(c -> {
            DirectiveVersion v = insert(c, directive, DirectiveStatus.DRAFT, author, reason);
            db.recordChange(c, Change.Kind.DIRECTIVE_CHANGED, v.label());
            return v;
        });
    }

    @Override
    public DirectiveVersion transition(
            String directiveId, int version, DirectiveStatus to, String actor, String reason) {
        return db.write(c -> {
            DirectiveVersion v = find(c, directiveId, version)
                    .orElseThrow(
                            () -> new StoreException.NotFound("no directive version " + directiveId + "@" + version));
            if (!movableDirectly(v.status(), to)) {
                String hint = v.status() == DirectiveStatus.ACTIVE || to == DirectiveStatus.ACTIVE
                        ? " (activation and withdrawal of active versions go through a new policy version)"
                        : "";
                throw new StoreException.Conflict(
                        v.label() + " is " + v.status().wireName() + "; it cannot move to " + to.wireName() + hint);
            }
            String approver = to == DirectiveStatus.APPROVED ? actor(actor) : v.approver();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE directive_versions SET status = ?, approver = ? WHERE directive_id = ? AND version = ?")) {
                ps.setString(1, to.wireName());
                ps.setString(2, approver);
                ps.setString(3, directiveId);
                ps.setInt(4, version);
                ps.executeUpdate();
            }
            event(c, directiveId, version, v.status(), to, actor, reason, db.clock.instant());
            db.recordChange(c, Change.Kind.DIRECTIVE_CHANGED, v.label());
            return new DirectiveVersion(
                    v.directiveId(),
                    v.version(),
                    v.sourceFile(),
                    v.text(),
                    v.textHash(),
                    to,
                    v.author(),
                    approver,
                    v.createdAt());
        });
    }

    /**
     * The moves {@link #transition} makes: draft to approved, draft or approved to withdrawn. Activation
     * and withdrawal of active versions happen only through a policy version.
     */
    static boolean movableDirectly(DirectiveStatus from, DirectiveStatus to) {
        return switch (to) {
            case APPROVED -> from == DirectiveStatus.DRAFT;
            case WITHDRAWN -> from == DirectiveStatus.DRAFT || from == DirectiveStatus.APPROVED;
            case DRAFT, ACTIVE -> false;
        };
    }

    @Override
    public Optional<DirectiveVersion> get(String directiveId, int version) {
        return db.read(c -> find(c, directiveId, version));
    }

    @Override
    public List<DirectiveVersion> versions(String directiveId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM directive_versions WHERE directive_id = ? ORDER BY version")) {
                ps.setString(1, directiveId);
                return rows(ps);
            }
        });
    }

    @Override
    public List<DirectiveVersion> latest() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM directive_versions d WHERE"
                    + " version = (SELECT MAX(version) FROM directive_versions l WHERE l.directive_id = d.directive_id)"
                    + " ORDER BY directive_id")) {
                return rows(ps);
            }
        });
    }

    @Override
    public List<DirectiveEvent> history(String directiveId) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT * FROM directive_events WHERE directive_id = ? ORDER BY seq")) {
                ps.setString(1, directiveId);
                return events(ps);
            }
        });
    }

    @Override
    public List<DirectiveEvent> eventsAfter(long sequence, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT * FROM directive_events WHERE seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, sequence);
                ps.setInt(2, limit);
                return events(ps);
            }
        });
    }

    private List<DirectiveEvent> events(PreparedStatement ps) throws SQLException {
        List<DirectiveEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String from = rs.getString("from_status");
                out.add(new DirectiveEvent(
                        rs.getLong("seq"),
                        rs.getString("directive_id"),
                        rs.getInt("version"),
                        from == null ? null : DirectiveStatus.fromWire(from),
                        DirectiveStatus.fromWire(rs.getString("to_status")),
                        rs.getString("actor"),
                        rs.getString("reason"),
                        db.getInstant(rs, "at")));
            }
        }
        return out;
    }

    // ---- inside a caller's transaction ----

    /** Stores the next version of a directive (latest + 1) with its first history event. */
    DirectiveVersion insert(Connection c, DirectiveText d, DirectiveStatus status, String author, String reason)
            throws SQLException {
        int version;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM directive_versions WHERE directive_id = ?")) {
            ps.setString(1, d.directiveId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                version = rs.getInt(1) + 1;
            }
        }
        Instant now = db.clock.instant();
        DirectiveVersion v = new DirectiveVersion(
                d.directiveId(),
                version,
                d.sourceFile(),
                d.text(),
                Sha256.hex(d.text()),
                status,
                actor(author),
                null,
                now);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO directive_versions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, v.directiveId());
            ps.setInt(2, v.version());
            ps.setString(3, v.sourceFile());
            ps.setString(4, v.text());
            ps.setString(5, v.textHash());
            ps.setString(6, status.wireName());
            ps.setString(7, v.author());
            ps.setString(8, null);
            db.setInstant(ps, 9, now);
            ps.executeUpdate();
        }
        event(c, v.directiveId(), v.version(), null, status, author, reason, now);
        return v;
    }

    /** Moves a version to another status with its history event, without checking the move. */
    void setStatus(Connection c, DirectiveVersion v, DirectiveStatus to, String by, String reason, Instant at)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE directive_versions SET status = ? WHERE directive_id = ? AND version = ?")) {
            ps.setString(1, to.wireName());
            ps.setString(2, v.directiveId());
            ps.setInt(3, v.version());
            ps.executeUpdate();
        }
        event(c, v.directiveId(), v.version(), v.status(), to, by, reason, at);
    }

    Optional<DirectiveVersion> find(Connection c, String directiveId, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM directive_versions WHERE directive_id = ? AND version = ?")) {
            ps.setString(1, directiveId);
            ps.setInt(2, version);
            return first(rows(ps));
        }
    }

    Optional<DirectiveVersion> latest(Connection c, String directiveId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM directive_versions WHERE directive_id = ? ORDER BY version DESC LIMIT 1")) {
            ps.setString(1, directiveId);
            return first(rows(ps));
        }
    }

    List<DirectiveVersion> active(Connection c) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + COLUMNS + " FROM directive_versions WHERE status = 'active'")) {
            return rows(ps);
        }
    }

    /** The versions a query over {@link #COLUMNS} selects. */
    List<DirectiveVersion> rows(PreparedStatement ps) throws SQLException {
        List<DirectiveVersion> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new DirectiveVersion(
                        rs.getString("directive_id"),
                        rs.getInt("version"),
                        rs.getString("source_file"),
                        rs.getString("text"),
                        rs.getString("text_hash"),
                        DirectiveStatus.fromWire(rs.getString("status")),
                        rs.getString("author"),
                        rs.getString("approver"),
                        db.getInstant(rs, "created_at")));
            }
        }
        return out;
    }

    private static Optional<DirectiveVersion> first(List<DirectiveVersion> found) {
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private void event(
            Connection c,
            String id,
            int version,
            DirectiveStatus from,
            DirectiveStatus to,
            String actor,
            String reason,
            Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO directive_events"
                + " (directive_id, version, from_status, to_status, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setInt(2, version);
            ps.setString(3, from == null ? null : from.wireName());
            ps.setString(4, to.wireName());
            ps.setString(5, actor(actor));
            ps.setString(6, reason == null ? "" : reason);
            db.setInstant(ps, 7, at);
            ps.executeUpdate();
        }
    }
}
