package dev.clearance.store;

import static dev.clearance.store.JdbcDatabase.actor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Policy versions ({@code policy_versions}) and their members ({@code policy_members}). Every
 * activation, from texts or from stored versions, goes through one transaction that first checks the
 * version it was derived from is still active (compare-and-set) and then moves the directive versions'
 * statuses, so the active policy and the statuses never disagree and no change is silently undone.
 *
 * <p>The check runs under the write lock (the advisory lock on PostgreSQL, the one writer on
 * SQLite); the unique index on {@code based_on} (migration V4) refuses a second activation from
 * the same version even if some writer skipped it.
 */
final class JdbcPolicyVersions implements PolicyVersions {
    private final JdbcDatabase db;
    private final JdbcDirectiveVersions directives;

    JdbcPolicyVersions(JdbcDatabase db, JdbcDirectiveVersions directives) {
        this.db = db;
        this.directives = directives;
    }

    @Override
    public PolicyVersion activate(
            long basedOn, List<DirectiveText> texts, String contentHash, String by, String reason) {
        requireDistinct(texts.stream().map(DirectiveText::directiveId).toList());
        return db.write(c -> {
            requireActive(c, basedOn);
            List<VersionRef> refs = new ArrayList<>();
            Set<String> created = new HashSet<>();
            for (DirectiveText d : texts) {
                Optional<DirectiveVersion> latest = directives.latest(c, d.directiveId());
                if (latest.isPresent() && latest.get().text().equals(d.text())) {
                    refs.add(new VersionRef(d.directiveId(), latest.get().version()));
                } else {
                    DirectiveVersion v = directives.insert(c, d, DirectiveStatus.ACTIVE, by, reason);
                    refs.add(new VersionRef(v.directiveId(), v.version()));
                    created.add(v.label());
                }
            }
            return activate(c, basedOn, refs, created, contentHash, by, reason);
        });
    }

    @Override
    public PolicyVersion activateVersions(
            long basedOn, List<VersionRef> versions, String contentHash, String by, String reason) {
        requireDistinct(versions.stream().map(VersionRef::directiveId).toList());
        return db.write(c -> {
            requireActive(c, basedOn);
            return activate(c, basedOn, versions, Set.of(), contentHash, by, reason);
        });
    }

    /** Compare-and-set: refuses unless {@code basedOn} is the active policy number (NONE: there is none). */
    private static void requireActive(Connection c, long basedOn) throws SQLException {
        long active = activeNumber(c);
        if (active != basedOn) {
            throw new StoreException.PolicyConflict(basedOn, active);
        }
    }

    /** The active policy's number, {@link PolicyVersions#NONE} when there is none. */
    private static long activeNumber(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(number), 0) FROM policy_versions");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void requireDistinct(List<String> directiveIds) {
        Set<String> seen = new HashSet<>();
        for (String id : directiveIds) {
            if (!seen.add(id)) {
                throw new StoreException.Conflict("directive '" + id + "' appears twice in one policy");
            }
        }
    }

    /**
     * The one activation: {@code refs} become the active set ({@code created} are the versions this
     * transaction just stored as active), the versions left out are withdrawn, and the new policy
     * version is appended with a {@link Change.Kind#POLICY_ACTIVATED} change.
     */
    private PolicyVersion activate(
            Connection c,
            long basedOn,
            List<VersionRef> refs,
            Set<String> created,
            String contentHash,
            String by,
            String reason)
            throws SQLException {
        Instant now = db.clock.instant();
        Map<String, DirectiveVersion> members = new LinkedHashMap<>();
        for (VersionRef r : refs) {
            DirectiveVersion v = directives
                    .find(c, r.directiveId(), r.version())
                    .orElseThrow(() ->
                            new StoreException.NotFound("no directive version " + r.directiveId() + "@" + r.version()));
            members.put(v.label(), v);
        }
        for (DirectiveVersion v : directives.active(c)) {
            if (!members.containsKey(v.label())) {
                directives.setStatus(c, v, DirectiveStatus.WITHDRAWN, by, reason, now);
            }
        }
        for (DirectiveVersion v : members.values()) {
            if (v.status() != DirectiveStatus.ACTIVE && !created.contains(v.label())) {
                directives.setStatus(c, v, DirectiveStatus.ACTIVE, by, reason, now);
            }
        }
        long number = basedOn + 1; // requireActive: basedOn is the highest number
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO policy_versions"
                + " (number, content_hash, activated_at, activated_by, reason, based_on) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, number);
            ps.setString(2, contentHash);
            db.setInstant(ps, 3, now);
            ps.setString(4, actor(by));
            ps.setString(5, reason == null ? "" : reason);
            ps.setLong(6, basedOn);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO policy_members (policy_number, directive_id, directive_version) VALUES (?, ?, ?)")) {
            for (DirectiveVersion v : members.values()) {
                ps.setLong(1, number);
                ps.setString(2, v.directiveId());
                ps.setInt(3, v.version());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        db.recordChange(c, Change.Kind.POLICY_ACTIVATED, Long.toString(number));
        return policy(c, number).orElseThrow();
    }

    @Override
    public Optional<PolicyVersion> active() {
        return db.read(c -> {
            long number = activeNumber(c);
            return number == NONE ? Optional.empty() : policy(c, number);
        });
    }

    @Override
    public Optional<PolicyVersion> get(long number) {
        return db.read(c -> policy(c, number));
    }

    @Override
    public List<PolicyVersion> history() {
        return db.read(c -> {
            List<Long> numbers = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT number FROM policy_versions ORDER BY number");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    numbers.add(rs.getLong(1));
                }
            }
            List<PolicyVersion> out = new ArrayList<>();
            for (long n : numbers) {
                out.add(policy(c, n).orElseThrow());
            }
            return out;
        });
    }

    private Optional<PolicyVersion> policy(Connection c, long number) throws SQLException {
        String hash;
        Instant at;
        String by;
        String reason;
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM policy_versions WHERE number = ?")) {
            ps.setLong(1, number);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                hash = rs.getString("content_hash");
                at = db.getInstant(rs, "activated_at");
                by = rs.getString("activated_by");
                reason = rs.getString("reason");
            }
        }
        List<DirectiveVersion> members;
        try (PreparedStatement ps = c.prepareStatement("SELECT "
                + prefixed("d.", JdbcDirectiveVersions.COLUMNS)
                + " FROM policy_members m JOIN directive_versions d"
                + " ON d.directive_id = m.directive_id AND d.version = m.directive_version"
                + " WHERE m.policy_number = ? ORDER BY d.directive_id")) {
            ps.setLong(1, number);
            members = directives.rows(ps);
        }
        return Optional.of(new PolicyVersion(number, hash, at, by, reason, members));
    }

    private static String prefixed(String alias, String columns) {
        return alias + columns.replace(", ", ", " + alias);
    }
}
