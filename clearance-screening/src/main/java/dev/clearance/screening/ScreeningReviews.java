package dev.clearance.screening;

import dev.clearance.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reviewers' verdicts ({@code screening_reviews}): append-only, the record an auditor reads. */
final class ScreeningReviews {
    private static final String SELECT = "SELECT id, principal_id, list, entity_id, entry_hash, subject_hash,"
            + " verdict, reason, reviewer, reviewed_at FROM screening_reviews";

    private final Database db;

    ScreeningReviews(Database db) {
        this.db = db;
    }

    /** Appends a verdict on {@code match}, as screened with {@code subjectHash}; returns it with its id. */
    Review add(
            String principalId,
            PrincipalScreening.Match match,
            String subjectHash,
            ReviewVerdict verdict,
            String reason,
            String reviewer,
            Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO screening_reviews (principal_id, list,"
                    + " entity_id, entry_hash, subject_hash, verdict, reason, reviewer, reviewed_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, principalId);
                ps.setString(2, match.list());
                ps.setString(3, match.entityId());
                ps.setString(4, match.entryHash());
                ps.setString(5, subjectHash);
                ps.setString(6, verdict.wireName());
                ps.setString(7, reason);
                ps.setString(8, reviewer);
                ps.setString(9, at.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Review(
                            rs.getLong(1),
                            principalId,
                            match.list(),
                            match.entityId(),
                            match.entryHash(),
                            subjectHash,
                            verdict,
                            reason,
                            reviewer,
                            at);
                }
            }
        });
    }

    /** Every review of a principal, oldest first (including reviews that no longer hold). */
    List<Review> of(String principalId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE principal_id = ? ORDER BY id")) {
                ps.setString(1, principalId);
                return rows(ps);
            }
        });
    }

    /** Reviews with an id greater than {@code id}, oldest first. */
    List<Review> after(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id > ? ORDER BY id")) {
                ps.setLong(1, id);
                return rows(ps);
            }
        });
    }

    /** Every review, by principal, oldest first: one read for a re-screening of everyone. */
    Map<String, List<Review>> byPrincipal() {
        Map<String, List<Review>> out = new HashMap<>();
        for (Review r : after(0)) {
            out.computeIfAbsent(r.principalId(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static List<Review> rows(PreparedStatement ps) throws SQLException {
        List<Review> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Review(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        ReviewVerdict.fromWireName(rs.getString(7)),
                        rs.getString(8),
                        rs.getString(9),
                        Instant.parse(rs.getString(10))));
            }
        }
        return out;
    }
}
