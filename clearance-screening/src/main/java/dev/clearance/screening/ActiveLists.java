package dev.clearance.screening;

import dev.clearance.core.Sha256;
import dev.clearance.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The imported list versions ({@code screening_lists} with their {@code screening_parties}), at
 * most one active per source, and the in-memory {@link ListSnapshot} of the active ones, rebuilt
 * only when another version became active.
 */
final class ActiveLists {
    private static final int BATCH = 2000;

    private final Database db;
    private volatile ListSnapshot snapshot;

    ActiveLists(Database db) {
        this.db = db;
    }

    /** What an activation did: stored the version as the active one of its source, or found it active. */
    record Activated(long listVersionId, boolean unchanged) {}

    /**
     * Stores {@code version} and makes it the active one of its source, recording {@code change}
     * on the feed; a version with the same content already active is left as it is.
     */
    Activated activate(ListVersion version, String by, String change) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM screening_lists WHERE source = ? AND active = 1 AND content_hash = ?")) {
                ps.setString(1, version.source().wireName());
                ps.setString(2, version.contentHash());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Activated(rs.getLong(1), true);
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE screening_lists SET active = 0 WHERE source = ? AND active = 1")) {
                ps.setString(1, version.source().wireName());
                ps.executeUpdate();
            }
            long listId;
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO screening_lists (source, origin, imported_at, imported_by,"
                            + " content_hash, party_count, active) VALUES (?, ?, ?, ?, ?, ?, 1) RETURNING id")) {
                ps.setString(1, version.source().wireName());
                ps.setString(2, version.origin());
                ps.setString(3, version.importedAt().toString());
                ps.setString(4, by);
                ps.setString(5, version.contentHash());
                ps.setInt(6, version.parties().size());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    listId = rs.getLong(1);
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO screening_parties (list_version, position, list, entity_id,"
                            + " entry_hash, document) VALUES (?, ?, ?, ?, ?, ?)")) {
                int position = 0;
                for (ListedParty p : version.parties()) {
                    String doc = ScreeningJson.write(p);
                    ps.setLong(1, listId);
                    ps.setInt(2, position++);
                    ps.setString(3, p.list());
                    ps.setString(4, p.entityId());
                    // Reviews name the entry by this hash, so they hold only while its content does.
                    ps.setString(5, Sha256.hex(doc));
                    ps.setString(6, doc);
                    ps.addBatch();
                    if (position % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            db.recordChange(c, change, version.source().wireName() + ":" + version.contentHash());
            return new Activated(listId, false);
        });
    }

    /** The active list versions, one per source at most, in activation order. */
    List<ScreeningRegistry.StoredList> stored() {
        return select("WHERE active = 1 ORDER BY id");
    }

    /** Every list version ever imported, newest first: the import history. */
    List<ScreeningRegistry.StoredList> imported() {
        return select("ORDER BY id DESC");
    }

    private List<ScreeningRegistry.StoredList> select(String where) {
        return db.read(c -> {
            List<ScreeningRegistry.StoredList> out = new ArrayList<>();
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT id, source, origin, imported_at, imported_by, content_hash,"
                                    + " party_count FROM screening_lists " + where);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ScreeningRegistry.StoredList(
                            rs.getLong(1),
                            ListSource.fromWireName(rs.getString(2)),
                            rs.getString(3),
                            Instant.parse(rs.getString(4)),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getInt(7)));
                }
            }
            return out;
        });
    }

    /** The active lists in memory; loaded again only when the active versions changed. */
    ListSnapshot snapshot() {
        List<ScreeningRegistry.StoredList> active = stored();
        List<Long> ids = active.stream().map(ScreeningRegistry.StoredList::id).toList();
        ListSnapshot s = snapshot;
        if (s != null && s.versionIds().equals(ids)) {
            return s;
        }
        synchronized (this) {
            s = snapshot;
            if (s != null && s.versionIds().equals(ids)) {
                return s;
            }
            s = load(active, ids);
            snapshot = s;
            return s;
        }
    }

    private ListSnapshot load(List<ScreeningRegistry.StoredList> active, List<Long> ids) {
        List<ListVersion> versions = new ArrayList<>();
        Map<String, String> hashes = new HashMap<>();
        StringBuilder listsKey = new StringBuilder();
        for (ScreeningRegistry.StoredList s : active) {
            List<ListedParty> parties = db.read(c -> {
                List<ListedParty> ps = new ArrayList<>(s.parties());
                try (PreparedStatement q = c.prepareStatement(
                        "SELECT document, entry_hash FROM screening_parties WHERE list_version = ? ORDER BY position")) {
                    q.setLong(1, s.id());
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            ListedParty p = ScreeningJson.read(
                                    "screening_parties.document", rs.getString(1), ListedParty.class);
                            ps.add(p);
                            hashes.put(ListSnapshot.key(p.list(), p.entityId()), rs.getString(2));
                        }
                    }
                }
                return ps;
            });
            versions.add(new ListVersion(s.source(), s.origin(), s.importedAt(), s.contentHash(), parties));
            listsKey.append(s.source().wireName())
                    .append('=')
                    .append(s.contentHash())
                    .append(';');
        }
        return new ListSnapshot(ids, Sha256.hex(listsKey.toString()), ScreeningIndex.build(versions), hashes);
    }
}
