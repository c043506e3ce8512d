package dev.clearance.lifecycle;

import dev.clearance.core.Decision;
import dev.clearance.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Shadow evidence: for every shadow-mode directive, how many live requests it would have denied.
 * The gateway calls {@link #observe} with each decision (a map lookup and an add, only for decisions
 * with shadow hits); counts are flushed per hour and policy version into {@code lifecycle_shadow_hits}.
 */
public final class ShadowCounter {
    private final Database database;
    private final Clock clock;
    private final ConcurrentHashMap<Key, LongAdder> pending = new ConcurrentHashMap<>();

    private record Key(String directiveId, String policyVersion, Instant hour) {}

    /** Hits of one directive under one policy version in one hour. */
    public record Hits(String directiveId, String policyVersion, Instant hour, long hits) {}

    ShadowCounter(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public void observe(Decision d) {
        if (d.shadow().isEmpty()) {
            return;
        }
        Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
        for (String id : d.shadow()) {
            pending.computeIfAbsent(new Key(id, d.policyVersion(), hour), k -> new LongAdder())
                    .increment();
        }
    }

    /** Adds the counts observed since the last flush to the table. */
    public void flush() {
        List<Map.Entry<Key, Long>> batch = new ArrayList<>();
        for (Key k : pending.keySet()) {
            LongAdder a = pending.remove(k);
            if (a != null && a.sum() > 0) {
                batch.add(Map.entry(k, a.sum()));
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            database.write(c -> {
                for (Map.Entry<Key, Long> e : batch) {
                    Key k = e.getKey();
                    int updated;
                    try (PreparedStatement ps = c.prepareStatement("UPDATE lifecycle_shadow_hits SET hits = hits + ? "
                            + "WHERE directive_id = ? AND policy_version = ? AND hour = ?")) {
                        ps.setLong(1, e.getValue());
                        ps.setString(2, k.directiveId());
                        ps.setString(3, k.policyVersion());
                        ps.setString(4, k.hour().toString());
                        updated = ps.executeUpdate();
                    }
                    if (updated == 0) {
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO lifecycle_shadow_hits "
                                + "(directive_id, policy_version, hour, hits) VALUES (?, ?, ?, ?)")) {
                            ps.setString(1, k.directiveId());
                            ps.setString(2, k.policyVersion());
                            ps.setString(3, k.hour().toString());
                            ps.setLong(4, e.getValue());
                            ps.executeUpdate();
                        }
                    }
                }
                return null;
            });
        } catch (RuntimeException e) {
            // Keep the counts for the next flush rather than lose evidence.
            for (Map.Entry<Key, Long> en : batch) {
                pending.computeIfAbsent(en.getKey(), k -> new LongAdder()).add(en.getValue());
            }
            throw e;
        }
    }

    /** Recorded hits of one directive, oldest hour first. */
    public List<Hits> hits(String directiveId) {
        return database.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT directive_id, policy_version, hour, hits FROM lifecycle_shadow_hits "
                            + "WHERE directive_id = ? ORDER BY hour, policy_version")) {
                ps.setString(1, directiveId);
                List<Hits> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Hits(
                                rs.getString(1), rs.getString(2), Instant.parse(rs.getString(3)), rs.getLong(4)));
                    }
                }
                return out;
            }
        });
    }
}
