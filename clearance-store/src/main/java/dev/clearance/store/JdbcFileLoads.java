package dev.clearance.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link FileLoads} over the store's JDBC connections: the {@code file_loads} table (migration V3). */
final class JdbcFileLoads implements FileLoads {
    private final JdbcDatabase db;

    JdbcFileLoads(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<FileLoad> last(Source source, String path) {
        return db.read(c -> one(
                c,
                "SELECT * FROM file_loads WHERE source = ? AND path = ? ORDER BY seq DESC LIMIT 1",
                source.wireName(),
                path));
    }

    @Override
    public Optional<FileLoad> last(Source source) {
        return db.read(
                c -> one(c, "SELECT * FROM file_loads WHERE source = ? ORDER BY seq DESC LIMIT 1", source.wireName()));
    }

    private Optional<FileLoad> one(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(load(rs)) : Optional.empty();
            }
        }
    }

    private FileLoad load(ResultSet rs) throws SQLException {
        return new FileLoad(
                rs.getLong("seq"),
                Source.fromWire(rs.getString("source")),
                rs.getString("path"),
                rs.getString("content_hash"),
                rs.getLong("policy_number"),
                rs.getLong("change_seq"),
                db.getInstant(rs, "loaded_at"),
                rs.getString("loaded_by"));
    }

    @Override
    public FileLoad record(
            Source source, String path, String contentHash, long policyNumber, long changeSequence, String by) {
        Instant now = db.clock.instant();
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO file_loads (source, path, content_hash, policy_number, change_seq, loaded_at, loaded_by)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *")) {
                ps.setString(1, source.wireName());
                ps.setString(2, path);
                ps.setString(3, contentHash);
                if (source == Source.DIRECTIVES) {
                    ps.setLong(4, policyNumber);
                } else {
                    ps.setNull(4, java.sql.Types.BIGINT);
                }
                ps.setLong(5, changeSequence);
                db.setInstant(ps, 6, now);
                ps.setString(7, JdbcDatabase.actor(by));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return load(rs); // as stored: PostgreSQL keeps microseconds
                }
            }
        });
    }

    @Override
    public List<PrincipalChange> principalChangesSince(long sequence) {
        return db.read(c -> {
            Map<String, PrincipalChange> byId = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, subject, at FROM changes WHERE kind = ? AND seq > ? ORDER BY seq")) {
                ps.setString(1, Change.Kind.PRINCIPAL_DELETED);
                ps.setLong(2, sequence);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString("subject");
                        byId.put(id, new PrincipalChange(id, null, "", db.getInstant(rs, "at"), rs.getLong("seq")));
                    }
                }
            }
            // A row's version is the change that last wrote it, so a deletion before a later write is superseded.
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, document, version, updated_at, updated_by FROM principals WHERE version > ?")) {
                ps.setLong(1, sequence);
                ps.setFetchSize(JdbcPrincipals.IMPORT_BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString("id");
                        byId.put(
                                id,
                                new PrincipalChange(
                                        id,
                                        rs.getString("document"),
                                        rs.getString("updated_by"),
                                        db.getInstant(rs, "updated_at"),
                                        rs.getLong("version")));
                    }
                }
            }
            return new ArrayList<>(byId.values());
        });
    }
}
