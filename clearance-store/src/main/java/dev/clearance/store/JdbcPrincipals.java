package dev.clearance.store;

import static dev.clearance.store.JdbcDatabase.actor;

import dev.clearance.core.Principal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Principals in the {@code principals} table, each as its canonical JSON with the version that wrote it. */
final class JdbcPrincipals implements PrincipalRegistry {
    /** Principals per batch in an import: large enough to amortise round trips, small enough to stream. */
    static final int IMPORT_BATCH = 1000;

    private static final String UPSERT = """
            INSERT INTO principals (id, version, document, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET version = excluded.version, document = excluded.document,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by
            WHERE principals.version < excluded.version""";

    private final JdbcDatabase db;

    JdbcPrincipals(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public StoredPrincipal put(Principal principal, String by) {
        return db.write(c -> put(c, principal, by));
    }

    /** {@link #put(Principal, String)} inside a write transaction another part of the store holds. */
    StoredPrincipal put(Connection c, Principal principal, String by) throws SQLException {
        String document = PrincipalDocuments.write(principal);
        Instant now = db.clock.instant();
        long seq = db.recordChange(c, Change.Kind.PRINCIPAL_PUT, principal.id());
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            bind(ps, principal.id(), seq, document, now, by);
            ps.executeUpdate();
        }
        return new StoredPrincipal(principal, seq, now);
    }

    private void bind(PreparedStatement ps, String id, long version, String document, Instant at, String by)
            throws SQLException {
        ps.setString(1, id);
        ps.setLong(2, version);
        ps.setString(3, document);
        db.setInstant(ps, 4, at);
        ps.setString(5, actor(by));
    }

    @Override
    public Optional<StoredPrincipal> get(String id) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT document, version, updated_at FROM principals WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(storedPrincipal(rs)) : Optional.empty();
                }
            }
        });
    }

    private StoredPrincipal storedPrincipal(ResultSet rs) throws SQLException {
        return new StoredPrincipal(
                PrincipalDocuments.read(rs.getString("document")),
                rs.getLong("version"),
                db.getInstant(rs, "updated_at"));
    }

    @Override
    public boolean delete(String id, String by) {
        return db.write(c -> delete(c, id));
    }

    /** {@link #delete(String, String)} inside a write transaction another part of the store holds. */
    boolean delete(Connection c, String id) throws SQLException {
        int deleted;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM principals WHERE id = ?")) {
            ps.setString(1, id);
            deleted = ps.executeUpdate();
        }
        if (deleted > 0) {
            db.recordChange(c, Change.Kind.PRINCIPAL_DELETED, id);
        }
        return deleted > 0;
    }

    @Override
    public <X extends Exception> ImportResult importAll(Source<X> source, String by) throws X {
        Instant now = db.clock.instant();
        try {
            return db.write(c -> {
                long seq = db.recordChange(c, Change.Kind.PRINCIPALS_IMPORTED, "");
                long count;
                try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                    ImportBatch batch = new ImportBatch(ps, seq, now, by);
                    try {
                        source.feed(batch);
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Exception e) {
                        throw new SourceFailure(e);
                    }
                    batch.flush();
                    count = batch.count;
                }
                // The change names how many; it is written first so the principals carry its sequence.
                try (PreparedStatement ps = c.prepareStatement("UPDATE changes SET subject = ? WHERE seq = ?")) {
                    ps.setString(1, Long.toString(count));
                    ps.setLong(2, seq);
                    ps.executeUpdate();
                }
                return new ImportResult(count, seq);
            });
        } catch (SourceFailure e) {
            @SuppressWarnings("unchecked")
            X cause = (X) e.getCause();
            throw cause;
        }
    }

    /** Carries a source's checked exception out through the transaction, which rolls back on the way. */
    private static final class SourceFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SourceFailure(Exception cause) {
            super(cause);
        }
    }

    /** Buffers upserts and sends them to the database every {@link #IMPORT_BATCH} principals. */
    private final class ImportBatch implements Consumer<Principal> {
        private final PreparedStatement ps;
        private final long version;
        private final Instant at;
        private final String by;
        private final List<String> ids = new ArrayList<>(IMPORT_BATCH);
        long count;

        ImportBatch(PreparedStatement ps, long version, Instant at, String by) {
            this.ps = ps;
            this.version = version;
            this.at = at;
            this.by = by;
        }

        @Override
        public void accept(Principal p) {
            try {
                bind(ps, p.id(), version, PrincipalDocuments.write(p), at, by);
                ps.addBatch();
                ids.add(p.id());
                if (ids.size() == IMPORT_BATCH) {
                    flush();
                }
            } catch (SQLException e) {
                throw db.failure(e);
            }
        }

        void flush() throws SQLException {
            if (ids.isEmpty()) {
                return;
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                // The upsert only replaces an older version; 0 rows means this import already wrote the id.
                if (counts[i] == 0) {
                    throw new StoreException.DuplicatePrincipal(ids.get(i), count + i + 1);
                }
            }
            count += ids.size();
            ids.clear();
        }
    }

    @Override
    public long count() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM principals");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void forEach(Consumer<StoredPrincipal> action) {
        db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT document, version, updated_at FROM principals ORDER BY id")) {
                ps.setFetchSize(IMPORT_BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        action.accept(storedPrincipal(rs));
                    }
                }
            }
            return null;
        });
    }
}
