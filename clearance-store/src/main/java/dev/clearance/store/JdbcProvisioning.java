package dev.clearance.store;

import static dev.clearance.store.JdbcDatabase.actor;

import dev.clearance.core.Principal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Provisioned users in {@code provisioned_users}, the principals they provision in {@code principals}
 * (through {@link JdbcPrincipals}, so a user's principal is written exactly as any other), and the
 * history in {@code provisioning_events}. Groups: {@link JdbcProvisionedGroups}.
 */
final class JdbcProvisioning implements Provisioning {
    private static final String USER_COLUMNS = "u.id, u.user_name, u.external_id, u.active, u.attributes, u.principal,"
            + " u.version, u.created_at, u.updated_at, p.document AS live_document";
    private static final String USERS =
            "SELECT " + USER_COLUMNS + " FROM provisioned_users u LEFT JOIN principals p ON p.id = u.user_name";

    private final JdbcDatabase db;
    private final JdbcPrincipals principals;
    private final JdbcApiKeys keys;
    private final JdbcProvisionedGroups groups;

    JdbcProvisioning(JdbcDatabase db, JdbcPrincipals principals, JdbcApiKeys keys) {
        this.db = db;
        this.principals = principals;
        this.keys = keys;
        this.groups = new JdbcProvisionedGroups(db, this);
    }

    // ---- users ----

    @Override
    public ProvisionedUser createUser(ProvisionedUser.Draft user, String by, String why) {
        Instant now = now();
        return db.write(c -> {
            requireFreeUserName(c, user.userName(), null);
            String id = UUID.randomUUID().toString();
            long seq = db.recordChange(c, USER_CHANGED, id);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO provisioned_users (id, user_name, user_name_key, external_id, active, organization,
                        attributes, principal, version, created_seq, created_at, created_by, updated_at, updated_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, user.userName());
                ps.setString(3, key(user.userName()));
                ps.setString(4, user.externalId().orElse(null));
                ps.setBoolean(5, user.active());
                ps.setString(6, user.principal().organization());
                ps.setString(7, user.attributes());
                ps.setString(8, PrincipalDocuments.write(user.principal()));
                ps.setLong(9, seq);
                ps.setLong(10, seq);
                db.setInstant(ps, 11, now);
                ps.setString(12, actor(by));
                db.setInstant(ps, 13, now);
                ps.setString(14, actor(by));
                ps.executeUpdate();
            }
            provision(c, null, user, by);
            event(c, "User", id, user.userName(), "create", by, why, seq);
            return new ProvisionedUser(id, user, seq, now, now);
        });
    }

    @Override
    public Optional<ProvisionedUser> user(String id) {
        return db.read(c -> userRow(c, id));
    }

    @Override
    public ProvisionedUser replaceUser(
            String id, OptionalLong ifVersion, ProvisionedUser.Draft user, String by, String why) {
        return db.write(c -> {
            ProvisionedUser before = current(c, id, ifVersion);
            requireFreeUserName(c, user.userName(), before);
            ProvisionedUser after = write(c, before, user, by);
            event(c, "User", id, user.userName(), "replace", by, why, after.version());
            return after;
        });
    }

    @Override
    public void deleteUser(String id, OptionalLong ifVersion, String by, String why) {
        db.write(c -> {
            ProvisionedUser before = current(c, id, ifVersion);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM provisioned_users WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            withdraw(c, before.user().userName(), by);
            long seq = db.recordChange(c, USER_CHANGED, id);
            event(c, "User", id, before.user().userName(), "delete", by, why, seq);
            return null;
        });
    }

    @Override
    public Page<ProvisionedUser> users(UserQuery query, long offset, int count) {
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        query.id().ifPresent(v -> match(where, args, "u.id = ?", v));
        query.userName().ifPresent(v -> match(where, args, "u.user_name_key = ?", key(v)));
        query.externalId().ifPresent(v -> match(where, args, "u.external_id = ?", v));
        query.active().ifPresent(v -> match(where, args, "u.active = ?", v));
        String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        return db.read(c -> {
            long total = count(c, "SELECT COUNT(*) FROM provisioned_users u" + filter, args);
            List<ProvisionedUser> items = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement(USERS + filter + " ORDER BY u.created_seq LIMIT ? OFFSET ?")) {
                int i = bind(ps, args);
                ps.setInt(i, count);
                ps.setLong(i + 1, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(user(rs));
                    }
                }
            }
            return new Page<>(total, items);
        });
    }

    // ---- groups ----

    @Override
    public ProvisionedGroup createGroup(ProvisionedGroup.Draft group, String by, String why) {
        return groups.create(group, by, why);
    }

    @Override
    public Optional<ProvisionedGroup> group(String id) {
        return db.read(c -> groups.row(c, id));
    }

    @Override
    public ProvisionedGroup replaceGroup(
            String id, OptionalLong ifVersion, ProvisionedGroup.Draft group, String by, String why) {
        return groups.replace(id, ifVersion, group, by, why);
    }

    @Override
    public void deleteGroup(String id, OptionalLong ifVersion, String by, String why) {
        groups.delete(id, ifVersion, by, why);
    }

    @Override
    public Page<ProvisionedGroup> groups(GroupQuery query, long offset, int count) {
        return groups.list(query, offset, count);
    }

    @Override
    public List<Event> history(String id) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT * FROM provisioning_events WHERE resource_id = ? ORDER BY seq")) {
                ps.setString(1, id);
                List<Event> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new Event(
                                rs.getString("resource_type"),
                                rs.getString("resource_id"),
                                rs.getString("name"),
                                rs.getString("operation"),
                                rs.getString("actor"),
                                rs.getString("reason"),
                                rs.getLong("change_seq"),
                                db.getInstant(rs, "at")));
                    }
                }
                return events;
            }
        });
    }

    // ---- what users and groups share ----

    /** Writes a new state of a stored user and of its principal; returns it with its new version. */
    ProvisionedUser write(Connection c, ProvisionedUser before, ProvisionedUser.Draft user, String by)
            throws SQLException {
        Instant now = now();
        long seq = db.recordChange(c, USER_CHANGED, before.id());
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE provisioned_users SET user_name = ?, user_name_key = ?, external_id = ?, active = ?,
                    organization = ?, attributes = ?, principal = ?, version = ?, updated_at = ?, updated_by = ?
                WHERE id = ?""")) {
            ps.setString(1, user.userName());
            ps.setString(2, key(user.userName()));
            ps.setString(3, user.externalId().orElse(null));
            ps.setBoolean(4, user.active());
            ps.setString(5, user.principal().organization());
            ps.setString(6, user.attributes());
            ps.setString(7, PrincipalDocuments.write(user.principal()));
            ps.setLong(8, seq);
            db.setInstant(ps, 9, now);
            ps.setString(10, actor(by));
            ps.setString(11, before.id());
            ps.executeUpdate();
        }
        provision(c, before.user(), user, by);
        return new ProvisionedUser(before.id(), user, seq, before.created(), now);
    }

    /**
     * Brings the principal registry in line with a user's new state: an active user's principal is
     * written (under its new id when the userName changed), an inactive or renamed one's is removed and
     * its API keys revoked, so nothing the old state allowed outlives it.
     */
    private void provision(Connection c, ProvisionedUser.Draft before, ProvisionedUser.Draft after, String by)
            throws SQLException {
        boolean renamed = before != null && !before.userName().equals(after.userName());
        if (before != null && (renamed || !after.active())) {
            withdraw(c, before.userName(), by);
        }
        // Written even when unchanged: the identity provider's state is the one to restore, also after
        // someone removed the principal by hand.
        if (after.active()) {
            principals.put(c, after.principal(), by);
        }
    }

    /** Removes a principal and revokes its keys (no-ops for what is already gone). */
    private void withdraw(Connection c, String principalId, String by) throws SQLException {
        principals.delete(c, principalId);
        keys.revokeAllOf(c, principalId, by);
    }

    void event(Connection c, String type, String id, String name, String operation, String by, String why, long seq)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO provisioning_events (resource_type, resource_id, name, operation, actor, reason, change_seq, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, type);
            ps.setString(2, id);
            ps.setString(3, name);
            ps.setString(4, operation);
            ps.setString(5, actor(by));
            ps.setString(6, why == null ? "" : why);
            ps.setLong(7, seq);
            db.setInstant(ps, 8, db.clock.instant());
            ps.executeUpdate();
        }
    }

    /** The stored user, checked against the version the caller last read. */
    private ProvisionedUser current(Connection c, String id, OptionalLong ifVersion) throws SQLException {
        ProvisionedUser user = userRow(c, id).orElseThrow(() -> new StoreException.NotFound("no user '" + id + "'"));
        checkVersion("user", id, user.version(), ifVersion);
        return user;
    }

    static void checkVersion(String what, String id, long stored, OptionalLong ifVersion) {
        if (ifVersion.isPresent() && ifVersion.getAsLong() != stored) {
            throw new StaleVersion(what + " '" + id + "' is at version " + stored + ", not " + ifVersion.getAsLong()
                    + ": read it again and retry");
        }
    }

    /**
     * A userName is free when no other provisioned user has it (whatever its case) and no principal that
     * was not provisioned has it as id: SCIM never takes over a principal loaded from a file or the
     * admin API.
     */
    private void requireFreeUserName(Connection c, String userName, ProvisionedUser self) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM provisioned_users WHERE user_name_key = ?")) {
            ps.setString(1, key(userName));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && (self == null || !rs.getString(1).equals(self.id()))) {
                    throw new StoreException.Conflict(
                            "userName '" + userName + "' is already provisioned as user " + rs.getString(1));
                }
            }
        }
        if (self != null && self.user().userName().equals(userName)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM principals WHERE id = ?")) {
            ps.setString(1, userName);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new StoreException.Conflict("a principal '" + userName
                            + "' exists that was not provisioned over SCIM; delete it first to let the identity"
                            + " provider manage it");
                }
            }
        }
    }

    Optional<ProvisionedUser> userRow(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(USERS + " WHERE u.id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    /** The members of an organization, in creation order. */
    List<ProvisionedUser> members(Connection c, String organization) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(USERS + " WHERE u.organization = ? ORDER BY u.created_seq")) {
            ps.setString(1, organization);
            List<ProvisionedUser> users = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(user(rs));
                }
            }
            return users;
        }
    }

    /**
     * A user as stored. An active user's facts are its principal's as the registry holds them (what the
     * gateway decides on, even if someone changed it there), an inactive one's the copy kept here.
     */
    private ProvisionedUser user(ResultSet rs) throws SQLException {
        boolean active = rs.getBoolean("active");
        String live = rs.getString("live_document");
        Principal principal = PrincipalDocuments.read(active && live != null ? live : rs.getString("principal"));
        return new ProvisionedUser(
                rs.getString("id"),
                new ProvisionedUser.Draft(
                        rs.getString("user_name"),
                        Optional.ofNullable(rs.getString("external_id")),
                        active,
                        rs.getString("attributes"),
                        principal),
                rs.getLong("version"),
                db.getInstant(rs, "created_at"),
                db.getInstant(rs, "updated_at"));
    }

    /** Microseconds: what both databases keep, so a value returned equals the value read back. */
    Instant now() {
        return db.clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static void match(List<String> where, List<Object> args, String clause, Object value) {
        where.add(clause);
        args.add(value);
    }

    /** Binds the arguments in order; returns the next parameter index. */
    static int bind(PreparedStatement ps, List<Object> args) throws SQLException {
        int i = 1;
        for (Object a : args) {
            if (a instanceof Boolean b) {
                ps.setBoolean(i++, b);
            } else {
                ps.setString(i++, (String) a);
            }
        }
        return i;
    }

    static long count(Connection c, String sql, List<Object> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
