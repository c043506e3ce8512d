package dev.clearance.screening;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.clearance.core.Screening;
import dev.clearance.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The current screening result of each principal ({@code screening_results}). */
final class ScreeningResults {
    private static final TypeReference<List<String>> LISTS = new TypeReference<>() {};
    private static final TypeReference<List<PrincipalScreening.Match>> MATCHES = new TypeReference<>() {};
    private static final String UPSERT =
            "INSERT INTO screening_results (principal_id, subject_hash, lists_hash, status, lists,"
                    + " score, matches, screened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (principal_id) DO UPDATE SET"
                    + " subject_hash = excluded.subject_hash, lists_hash = excluded.lists_hash, status = excluded.status,"
                    + " lists = excluded.lists, score = excluded.score, matches = excluded.matches, screened_at = excluded.screened_at";

    private final Database db;

    ScreeningResults(Database db) {
        this.db = db;
    }

    /** Stores one result, recording {@code change} on the feed when what directives see changed. */
    void put(PrincipalScreening result, String change) {
        db.write(c -> {
            Optional<Screening> before = screening(c, result.principalId());
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                bind(ps, result);
                ps.executeUpdate();
            }
            if (before.isEmpty() || !before.get().equals(result.screening())) {
                db.recordChange(c, change, result.principalId());
            }
            return null;
        });
    }

    /** Stores many results in one transaction, without a change each (the caller records one for all). */
    void putAll(List<PrincipalScreening> results) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                for (PrincipalScreening r : results) {
                    bind(ps, r);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    void delete(String principalId) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM screening_results WHERE principal_id = ?")) {
                ps.setString(1, principalId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    Optional<PrincipalScreening> get(String principalId) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT principal_id, subject_hash, lists_hash, status, lists, score,"
                            + " matches, screened_at FROM screening_results WHERE principal_id = ?")) {
                ps.setString(1, principalId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new PrincipalScreening(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            screening(rs, 4),
                            ScreeningJson.read("screening_results.matches", rs.getString(7), MATCHES),
                            Instant.parse(rs.getString(8))));
                }
            }
        });
    }

    /** The stored status, lists and score of a principal. */
    Optional<Screening> screening(String principalId) {
        return db.read(c -> screening(c, principalId));
    }

    private static Optional<Screening> screening(Connection c, String principalId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT status, lists, score FROM screening_results WHERE principal_id = ?")) {
            ps.setString(1, principalId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(screening(rs, 1));
            }
        }
    }

    /** The status, lists and score columns, selected in that order from column {@code first} on. */
    private static Screening screening(ResultSet rs, int first) throws SQLException {
        return new Screening(
                rs.getString(first),
                ScreeningJson.read("screening_results.lists", rs.getString(first + 1), LISTS),
                rs.getDouble(first + 2));
    }

    /** Potential matches no holding review has decided, highest score first, at most {@code limit}. */
    List<ScreeningRegistry.PendingMatch> pending(int limit) {
        List<ScreeningRegistry.PendingMatch> out = new ArrayList<>();
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT principal_id, matches FROM screening_results WHERE status = ? ORDER BY principal_id")) {
                ps.setString(1, Screening.POTENTIAL_MATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        for (PrincipalScreening.Match m :
                                ScreeningJson.read("screening_results.matches", rs.getString(2), MATCHES)) {
                            if (m.state() == PrincipalScreening.State.POTENTIAL) {
                                out.add(new ScreeningRegistry.PendingMatch(rs.getString(1), m));
                            }
                        }
                    }
                }
            }
            return null;
        });
        out.sort(Comparator.comparingDouble(
                        (ScreeningRegistry.PendingMatch p) -> -p.match().score())
                .thenComparing(ScreeningRegistry.PendingMatch::principalId));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    private static void bind(PreparedStatement ps, PrincipalScreening r) throws SQLException {
        ps.setString(1, r.principalId());
        ps.setString(2, r.subjectHash());
        ps.setString(3, r.listsHash());
        ps.setString(4, r.screening().status());
        ps.setString(5, ScreeningJson.write(r.screening().lists()));
        ps.setDouble(6, r.screening().score());
        ps.setString(7, ScreeningJson.write(r.matches()));
        ps.setString(8, r.screenedAt().toString());
    }
}
