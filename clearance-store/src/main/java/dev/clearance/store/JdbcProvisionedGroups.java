package dev.clearance.store;

import static dev.clearance.store.JdbcDatabase.actor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clearance.core.Json;
import dev.clearance.core.Principal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Provisioned groups in {@code provisioned_groups}. A group is an organization: membership is not
 * stored beside the group but is the members' {@code organization} fact, so the principal the gateway
 * decides on and the group the identity provider sees can never disagree. Joining a group is therefore
 * a change of the member's principal, written through {@link JdbcProvisioning#write}.
 */
final class JdbcProvisionedGroups {
    private final JdbcDatabase db;
    private final JdbcProvisioning users;

    JdbcProvisionedGroups(JdbcDatabase db, JdbcProvisioning users) {
        this.db = db;
        this.users = users;
    }

    ProvisionedGroup create(ProvisionedGroup.Draft group, String by, String why) {
        Instant now = users.now();
        return db.write(c -> {
            requireFreeName(c, group.displayName(), null);
            String id = UUID.randomUUID().toString();
            long seq = db.recordChange(c, Provisioning.GROUP_CHANGED, id);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO provisioned_groups (id, display_name, display_name_key, external_id, version,
                        created_seq, created_at, created_by, updated_at, updated_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, id);
                ps.setString(2, group.displayName());
                ps.setString(3, JdbcProvisioning.key(group.displayName()));
                ps.setString(4, group.externalId().orElse(null));
                ps.setLong(5, seq);
                ps.setLong(6, seq);
                db.setInstant(ps, 7, now);
                ps.setString(8, actor(by));
                db.setInstant(ps, 9, now);
                ps.setString(10, actor(by));
                ps.executeUpdate();
            }
            List<ProvisionedGroup.Member> members = setMembers(c, null, group, by);
            users.event(c, "Group", id, group.displayName(), "create", by, why, seq);
            return new ProvisionedGroup(id, group.displayName(), group.externalId(), members, seq, now, now);
        });
    }

    ProvisionedGroup replace(String id, OptionalLong ifVersion, ProvisionedGroup.Draft group, String by, String why) {
        Instant now = users.now();
        return db.write(c -> {
            ProvisionedGroup before = current(c, id, ifVersion);
            requireFreeName(c, group.displayName(), id);
            long seq = db.recordChange(c, Provisioning.GROUP_CHANGED, id);
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE provisioned_groups SET display_name = ?, display_name_key = ?, external_id = ?, version = ?,
                        updated_at = ?, updated_by = ?
                    WHERE id = ?""")) {
                ps.setString(1, group.displayName());
                ps.setString(2, JdbcProvisioning.key(group.displayName()));
                ps.setString(3, group.externalId().orElse(null));
                ps.setLong(4, seq);
                db.setInstant(ps, 5, now);
                ps.setString(6, actor(by));
                ps.setString(7, id);
                ps.executeUpdate();
            }
            List<ProvisionedGroup.Member> members = setMembers(c, before.displayName(), group, by);
            users.event(c, "Group", id, group.displayName(), "replace", by, why, seq);
            return new ProvisionedGroup(
                    id, group.displayName(), group.externalId(), members, seq, before.created(), now);
        });
    }

    void delete(String id, OptionalLong ifVersion, String by, String why) {
        db.write(c -> {
            ProvisionedGroup before = current(c, id, ifVersion);
            for (ProvisionedUser member : users.members(c, before.displayName())) {
                setOrganization(c, member, "", by);
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM provisioned_groups WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            long seq = db.recordChange(c, Provisioning.GROUP_CHANGED, id);
            users.event(c, "Group", id, before.displayName(), "delete", by, why, seq);
            return null;
        });
    }

    Provisioning.Page<ProvisionedGroup> list(Provisioning.GroupQuery query, long offset, int count) {
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        query.id().ifPresent(v -> JdbcProvisioning.match(where, args, "id = ?", v));
        query.displayName()
                .ifPresent(v -> JdbcProvisioning.match(where, args, "display_name_key = ?", JdbcProvisioning.key(v)));
        query.externalId().ifPresent(v -> JdbcProvisioning.match(where, args, "external_id = ?", v));
        String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        return db.read(c -> {
            long total = JdbcProvisioning.count(c, "SELECT COUNT(*) FROM provisioned_groups" + filter, args);
            List<ProvisionedGroup> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM provisioned_groups" + filter + " ORDER BY created_seq LIMIT ? OFFSET ?")) {
                int i = JdbcProvisioning.bind(ps, args);
                ps.setInt(i, count);
                ps.setLong(i + 1, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(group(c, rs));
                    }
                }
            }
            return new Provisioning.Page<>(total, items);
        });
    }

    Optional<ProvisionedGroup> row(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM provisioned_groups WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(group(c, rs)) : Optional.empty();
            }
        }
    }

    /**
     * Makes exactly {@code group}'s members name it as their organization: former members (of the group
     * as it was named before) lose it, new members gain it, and a renamed group's members follow the name.
     */
    private List<ProvisionedGroup.Member> setMembers(
            Connection c, String formerName, ProvisionedGroup.Draft group, String by) throws SQLException {
        Map<String, ProvisionedUser> wanted = new LinkedHashMap<>();
        for (String memberId : group.memberIds()) {
            ProvisionedUser user = users.userRow(c, memberId)
                    .orElseThrow(() -> new StoreException.NotFound(
                            "no user '" + memberId + "' to be a member of group '" + group.displayName() + "'"));
            wanted.put(memberId, user);
        }
        if (formerName != null) {
            for (ProvisionedUser former : users.members(c, formerName)) {
                if (!wanted.containsKey(former.id())) {
                    setOrganization(c, former, "", by);
                }
            }
        }
        List<ProvisionedGroup.Member> members = new ArrayList<>();
        for (ProvisionedUser user : wanted.values()) {
            if (!user.user().principal().organization().equals(group.displayName())) {
                setOrganization(c, user, group.displayName(), by);
            }
            members.add(new ProvisionedGroup.Member(user.id(), user.user().userName()));
        }
        return members;
    }

    private void setOrganization(Connection c, ProvisionedUser user, String organization, String by)
            throws SQLException {
        ProvisionedUser.Draft d = user.user();
        Principal p = d.principal();
        // Through the principal's line, so every other fact stays exactly as it was.
        Principal moved;
        try {
            ObjectNode line = (ObjectNode) Json.mapper().readTree(PrincipalDocuments.write(p));
            moved = PrincipalDocuments.read(
                    line.put("organization", organization).toString());
        } catch (JsonProcessingException e) {
            throw new StoreException("principal " + p.id() + " has no readable line: " + e.getMessage(), e);
        }
        ProvisionedUser after = users.write(
                c,
                user,
                new ProvisionedUser.Draft(d.userName(), d.externalId(), d.active(), d.attributes(), moved),
                by);
        String why = organization.isEmpty()
                ? "left organization '" + p.organization() + "'"
                : "joined organization '" + organization + "'";
        users.event(c, "User", user.id(), d.userName(), "replace", by, why, after.version());
    }

    private ProvisionedGroup current(Connection c, String id, OptionalLong ifVersion) throws SQLException {
        ProvisionedGroup group = row(c, id).orElseThrow(() -> new StoreException.NotFound("no group '" + id + "'"));
        JdbcProvisioning.checkVersion("group", id, group.version(), ifVersion);
        return group;
    }

    private void requireFreeName(Connection c, String displayName, String self) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT id FROM provisioned_groups WHERE display_name_key = ?")) {
            ps.setString(1, JdbcProvisioning.key(displayName));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && !rs.getString(1).equals(self)) {
                    throw new StoreException.Conflict(
                            "displayName '" + displayName + "' is already provisioned as group " + rs.getString(1));
                }
            }
        }
    }

    private ProvisionedGroup group(Connection c, ResultSet rs) throws SQLException {
        String name = rs.getString("display_name");
        List<ProvisionedGroup.Member> members = new ArrayList<>();
        for (ProvisionedUser u : users.members(c, name)) {
            members.add(new ProvisionedGroup.Member(u.id(), u.user().userName()));
        }
        return new ProvisionedGroup(
                rs.getString("id"),
                name,
                Optional.ofNullable(rs.getString("external_id")),
                members,
                rs.getLong("version"),
                db.getInstant(rs, "created_at"),
                db.getInstant(rs, "updated_at"));
    }
}
