package dev.clearance.store;

import static dev.clearance.store.JdbcDatabase.actor;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** API keys in the {@code api_keys} table: the prefix and the hash, never the key. */
final class JdbcApiKeys implements ApiKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcDatabase db;

    JdbcApiKeys(JdbcDatabase db) {
        this.db = db;
    }

    @Override
    public IssuedKey create(String principalId, String by) {
        Instant now = db.clock.instant();
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM principals WHERE id = ?")) {
                ps.setString(1, principalId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException.NotFound(
                                "no principal '" + principalId + "': create it before its key");
                    }
                }
            }
            String key;
            String prefix;
            do {
                key = ApiKeyFormat.generate(RANDOM);
                prefix = ApiKeyFormat.prefixOf(key);
            } while (row(c, prefix).isPresent());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_keys (prefix, key_hash, principal_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, prefix);
                ps.setString(2, ApiKeyFormat.hash(key));
                ps.setString(3, principalId);
                db.setInstant(ps, 4, now);
                ps.setString(5, actor(by));
                ps.executeUpdate();
            }
            db.recordChange(c, Change.Kind.KEY_CREATED, prefix);
            return new IssuedKey(key, new ApiKey(prefix, principalId, now, actor(by), null, null));
        });
    }

    @Override
    public Optional<ApiKey> lookup(String presentedKey) {
        if (!ApiKeyFormat.isWellFormed(presentedKey)) {
            return Optional.empty();
        }
        String hash = ApiKeyFormat.hash(presentedKey);
        String prefix = ApiKeyFormat.prefixOf(presentedKey);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM api_keys WHERE key_hash = ? AND prefix = ? AND revoked_at IS NULL")) {
                ps.setString(1, hash);
                ps.setString(2, prefix);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(apiKey(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public ApiKey revoke(String prefix, String by) {
        String p = ApiKeyFormat.parsePrefix(prefix);
        Instant now = db.clock.instant();
        return db.write(c -> {
            ApiKey key = row(c, p).orElseThrow(() -> new StoreException.NotFound("no API key with prefix '" + p + "'"));
            if (key.revoked()) {
                return key;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_keys SET revoked_at = ?, revoked_by = ? WHERE prefix = ? AND revoked_at IS NULL")) {
                db.setInstant(ps, 1, now);
                ps.setString(2, actor(by));
                ps.setString(3, p);
                ps.executeUpdate();
            }
            db.recordChange(c, Change.Kind.KEY_REVOKED, p);
            return new ApiKey(key.prefix(), key.principalId(), key.createdAt(), key.createdBy(), now, actor(by));
        });
    }

    /**
     * Revokes every key of a principal that is not revoked yet, inside a write transaction another part
     * of the store holds (deprovisioning); each revocation is a change on the feed.
     *
     * @return how many keys were revoked
     */
    int revokeAllOf(Connection c, String principalId, String by) throws SQLException {
        List<String> prefixes = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT prefix FROM api_keys WHERE principal_id = ? AND revoked_at IS NULL")) {
            ps.setString(1, principalId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    prefixes.add(rs.getString(1));
                }
            }
        }
        Instant now = db.clock.instant();
        for (String prefix : prefixes) {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE api_keys SET revoked_at = ?, revoked_by = ? WHERE prefix = ?")) {
                db.setInstant(ps, 1, now);
                ps.setString(2, actor(by));
                ps.setString(3, prefix);
                ps.executeUpdate();
            }
            db.recordChange(c, Change.Kind.KEY_REVOKED, prefix);
        }
        return prefixes.size();
    }

    @Override
    public List<ApiKey> of(String principalId) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT * FROM api_keys WHERE principal_id = ? ORDER BY created_at, prefix")) {
                ps.setString(1, principalId);
                List<ApiKey> keys = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(apiKey(rs));
                    }
                }
                return keys;
            }
        });
    }

    private Optional<ApiKey> row(Connection c, String prefix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM api_keys WHERE prefix = ?")) {
            ps.setString(1, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(apiKey(rs)) : Optional.empty();
            }
        }
    }

    private ApiKey apiKey(ResultSet rs) throws SQLException {
        return new ApiKey(
                rs.getString("prefix"),
                rs.getString("principal_id"),
                db.getInstant(rs, "created_at"),
                rs.getString("created_by"),
                db.getInstant(rs, "revoked_at"),
                rs.getString("revoked_by"));
    }
}
