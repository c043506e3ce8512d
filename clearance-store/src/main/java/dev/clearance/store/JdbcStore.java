package dev.clearance.store;

import dev.clearance.core.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The store over JDBC: the SQL both databases share. Subclasses supply connections, the one-writer
 * discipline, timestamp binding and change notification.
 */
abstract sealed class JdbcStore
        implements Store, Database, PrincipalRegistry, ApiKeys, DirectiveVersions, PolicyVersions, ChangeFeed
        permits SqliteStore, PostgresStore {

    /** Principals per batch in an import: large enough to amortise round trips, small enough to stream. */
    static final int IMPORT_BATCH = 1000;

    private static final Pattern KEY = Pattern.compile("clr_[a-z2-7]{8}_[a-z2-7]{44}");
    private static final Pattern PREFIX = Pattern.compile("[a-z2-7]{8}");
    private static final SecureRandom RANDOM = new SecureRandom();

    final Clock clock;
    private final FileLoads fileLoads = new JdbcFileLoads(this);

    JdbcStore(Clock clock) {
        this.clock = clock;
    }

    // ---- what each database supplies ----

    /** Connections that read. */
    abstract DataSource readers();

    /** Connections that write; SQLite hands out exactly one. */
    abstract DataSource writers();

    /** Called first in every write transaction. */
    abstract void beginWrite(Connection c) throws SQLException;

    /** Called before the first statement of every read transaction. */
    abstract void beginRead(Connection c) throws SQLException;

    abstract void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException;

    abstract Instant getInstant(ResultSet rs, String column) throws SQLException;

    /** Called after a change row is inserted, inside its transaction. */
    abstract void notifyChange(Connection c, long sequence) throws SQLException;

    /** A short name for messages: the database and where it is, without secrets. */
    abstract String describe();

    static void migrate(DataSource dataSource, Dialect dialect) {
        String folder = dialect == Dialect.SQLITE ? "sqlite" : "postgresql";
        Flyway.configure(JdbcStore.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + folder)
                // Modules own interleaved version ranges and may be absent from a given process.
                .outOfOrder(true)
                .ignoreMigrationPatterns("*:missing", "*:future")
                .load()
                .migrate();
    }

    // ---- Store ----

    @Override
    public PrincipalRegistry principals() {
        return this;
    }

    @Override
    public ApiKeys keys() {
        return this;
    }

    @Override
    public DirectiveVersions directives() {
        return this;
    }

    @Override
    public PolicyVersions policies() {
        return this;
    }

    @Override
    public ChangeFeed changes() {
        return this;
    }

    @Override
    public FileLoads fileLoads() {
        return fileLoads;
    }

    @Override
    public Database database() {
        return this;
    }

    // ---- Database ----

    @Override
    public DataSource dataSource() {
        return readers();
    }

    @Override
    public <T> T write(Work<T> work) {
        try (Connection c = writers().getConnection()) {
            c.setAutoCommit(false);
            try {
                beginWrite(c);
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public <T> T read(Work<T> work) {
        try (Connection c = readers().getConnection()) {
            beginRead(c);
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public long recordChange(Connection c, String kind, String subject) throws SQLException {
        long seq;
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO changes (kind, subject, at) VALUES (?, ?, ?) RETURNING seq")) {
            ps.setString(1, kind);
            ps.setString(2, subject);
            setInstant(ps, 3, clock.instant());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
        }
        notifyChange(c, seq);
        return seq;
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    StoreException failure(SQLException e) {
        return new StoreException("store " + describe() + " failed: " + e.getMessage(), e);
    }

    // ---- principals ----

    private static final String UPSERT_PRINCIPAL = """
            INSERT INTO principals (id, version, document, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET version = excluded.version, document = excluded.document,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by
            WHERE principals.version < excluded.version""";

    @Override
    public StoredPrincipal put(Principal principal, String by) {
        String document = PrincipalDocuments.write(principal);
        Instant now = clock.instant();
        return write(c -> {
            long seq = recordChange(c, Change.Kind.PRINCIPAL_PUT, principal.id());
            try (PreparedStatement ps = c.prepareStatement(UPSERT_PRINCIPAL)) {
                bindPrincipal(ps, principal.id(), seq, document, now, by);
                ps.executeUpdate();
            }
            return new StoredPrincipal(principal, seq, now);
        });
    }

    private void bindPrincipal(PreparedStatement ps, String id, long version, String document, Instant at, String by)
            throws SQLException {
        ps.setString(1, id);
        ps.setLong(2, version);
        ps.setString(3, document);
        setInstant(ps, 4, at);
        ps.setString(5, actor(by));
    }

    @Override
    public Optional<StoredPrincipal> get(String id) {
        return read(c -> {
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
                PrincipalDocuments.read(rs.getString("document")), rs.getLong("version"), getInstant(rs, "updated_at"));
    }

    @Override
    public boolean delete(String id, String by) {
        return write(c -> {
            int deleted;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM principals WHERE id = ?")) {
                ps.setString(1, id);
                deleted = ps.executeUpdate();
            }
            if (deleted > 0) {
                recordChange(c, Change.Kind.PRINCIPAL_DELETED, id);
            }
            return deleted > 0;
        });
    }

    @Override
    public <X extends Exception> ImportResult importAll(Source<X> source, String by) throws X {
        Instant now = clock.instant();
        try {
            return write(c -> {
                long seq = recordChange(c, Change.Kind.PRINCIPALS_IMPORTED, "");
                long count;
                try (PreparedStatement ps = c.prepareStatement(UPSERT_PRINCIPAL)) {
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
                bindPrincipal(ps, p.id(), version, PrincipalDocuments.write(p), at, by);
                ps.addBatch();
                ids.add(p.id());
                if (ids.size() == IMPORT_BATCH) {
                    flush();
                }
            } catch (SQLException e) {
                throw failure(e);
            }
        }

        void flush() throws SQLException {
            flushImportBatch(ps, ids, count);
            count += ids.size();
            ids.clear();
        }
    }

    private static void flushImportBatch(PreparedStatement ps, List<String> ids, long before) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        int[] counts = ps.executeBatch();
        for (int i = 0; i < counts.length; i++) {
            // The upsert only replaces an older version; 0 rows means this import already wrote the id.
            if (counts[i] == 0) {
                throw new StoreException.DuplicatePrincipal(ids.get(i), before + i + 1);
            }
        }
    }

    @Override
    public long count() {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM principals");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void forEach(Consumer<StoredPrincipal> action) {
        read(c -> {
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

    // ---- API keys ----

    @Override
    public IssuedKey create(String principalId, String by) {
        Instant now = clock.instant();
        return write(c -> {
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
                key = newKey();
                prefix = key.substring(4, 12);
            } while (keyRow(c, prefix).isPresent());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_keys (prefix, key_hash, principal_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, prefix);
                ps.setString(2, sha256(key));
                ps.setString(3, principalId);
                setInstant(ps, 4, now);
                ps.setString(5, actor(by));
                ps.executeUpdate();
            }
            recordChange(c, Change.Kind.KEY_CREATED, prefix);
            return new IssuedKey(key, new ApiKey(prefix, principalId, now, actor(by), null, null));
        });
    }

    static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String text = base32(bytes);
        return "clr_" + text.substring(0, 8) + "_" + text.substring(8);
    }

    /** RFC 4648 base32, lowercase, unpadded: 32 bytes give 52 characters. */
    static String base32(byte[] bytes) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    @Override
    public Optional<ApiKey> lookup(String presentedKey) {
        if (presentedKey == null || !KEY.matcher(presentedKey).matches()) {
            return Optional.empty();
        }
        String hash = sha256(presentedKey);
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM api_keys WHERE key_hash = ? AND prefix = ? AND revoked_at IS NULL")) {
                ps.setString(1, hash);
                ps.setString(2, presentedKey.substring(4, 12));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(apiKey(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public ApiKey revoke(String prefix, String by) {
        String p = normalizePrefix(prefix);
        Instant now = clock.instant();
        return write(c -> {
            ApiKey key =
                    keyRow(c, p).orElseThrow(() -> new StoreException.NotFound("no API key with prefix '" + p + "'"));
            if (key.revoked()) {
                return key;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_keys SET revoked_at = ?, revoked_by = ? WHERE prefix = ? AND revoked_at IS NULL")) {
                setInstant(ps, 1, now);
                ps.setString(2, actor(by));
                ps.setString(3, p);
                ps.executeUpdate();
            }
            recordChange(c, Change.Kind.KEY_REVOKED, p);
            return new ApiKey(key.prefix(), key.principalId(), key.createdAt(), key.createdBy(), now, actor(by));
        });
    }

    private static String normalizePrefix(String given) {
        String p = given.startsWith("clr_") ? given.substring(4) : given;
        int end = p.indexOf('_');
        p = end >= 0 ? p.substring(0, end) : p;
        if (!PREFIX.matcher(p).matches()) {
            throw new StoreException.NotFound(
                    "'" + given + "' is not an API key prefix (expected clr_ and 8 characters a-z, 2-7)");
        }
        return p;
    }

    @Override
    public List<ApiKey> of(String principalId) {
        return read(c -> {
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

    private Optional<ApiKey> keyRow(Connection c, String prefix) throws SQLException {
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
                getInstant(rs, "created_at"),
                rs.getString("created_by"),
                getInstant(rs, "revoked_at"),
                rs.getString("revoked_by"));
    }

    // ---- directive versions ----

    private static final String VERSION_COLUMNS =
            "directive_id, version, source_file, text, text_hash, status, author, approver, created_at";

    @Override
    public DirectiveVersion propose(DirectiveText directive, String author, String reason) {
        return write(c -> {
            DirectiveVersion v = insertVersion(c, directive, DirectiveStatus.DRAFT, author, reason);
            recordChange(c, Change.Kind.DIRECTIVE_CHANGED, v.label());
            return v;
        });
    }

    private DirectiveVersion insertVersion(
            Connection c, DirectiveText d, DirectiveStatus status, String author, String reason) throws SQLException {
        int version;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM directive_versions WHERE directive_id = ?")) {
            ps.setString(1, d.directiveId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                version = rs.getInt(1) + 1;
            }
        }
        Instant now = clock.instant();
        DirectiveVersion v = new DirectiveVersion(
                d.directiveId(), version, d.sourceFile(), d.text(), sha256(d.text()), status, actor(author), null, now);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO directive_versions (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, v.directiveId());
            ps.setInt(2, v.version());
            ps.setString(3, v.sourceFile());
            ps.setString(4, v.text());
            ps.setString(5, v.textHash());
            ps.setString(6, status.wireName());
            ps.setString(7, v.author());
            ps.setString(8, null);
            setInstant(ps, 9, now);
            ps.executeUpdate();
        }
        event(c, v.directiveId(), v.version(), null, status, author, reason, now);
        return v;
    }

    private void event(
            Connection c,
            String id,
            int version,
            DirectiveStatus from,
            DirectiveStatus to,
            String actor,
            String reason,
            Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO directive_events (directive_id, version, from_status, to_status, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setInt(2, version);
            ps.setString(3, from == null ? null : from.wireName());
            ps.setString(4, to.wireName());
            ps.setString(5, actor(actor));
            ps.setString(6, reason == null ? "" : reason);
            setInstant(ps, 7, at);
            ps.executeUpdate();
        }
    }

    @Override
    public DirectiveVersion transition(
            String directiveId, int version, DirectiveStatus to, String actor, String reason) {
        return write(c -> {
            DirectiveVersion v = version(c, directiveId, version)
                    .orElseThrow(
                            () -> new StoreException.NotFound("no directive version " + directiveId + "@" + version));
            boolean allowed = switch (to) {
                case APPROVED -> v.status() == DirectiveStatus.DRAFT;
                case WITHDRAWN -> v.status() == DirectiveStatus.DRAFT || v.status() == DirectiveStatus.APPROVED;
                case DRAFT, ACTIVE -> false;
            };
            if (!allowed) {
                String hint = v.status() == DirectiveStatus.ACTIVE || to == DirectiveStatus.ACTIVE
                        ? " (activation and withdrawal of active versions go through a new policy version)"
                        : "";
                throw new StoreException.Conflict(
                        v.label() + " is " + v.status().wireName() + "; it cannot move to " + to.wireName() + hint);
            }
            String approver = to == DirectiveStatus.APPROVED ? actor(actor) : v.approver();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE directive_versions SET status = ?, approver = ? WHERE directive_id = ? AND version = ?")) {
                ps.setString(1, to.wireName());
                ps.setString(2, approver);
                ps.setString(3, directiveId);
                ps.setInt(4, version);
                ps.executeUpdate();
            }
            event(c, directiveId, version, v.status(), to, actor, reason, clock.instant());
            recordChange(c, Change.Kind.DIRECTIVE_CHANGED, v.label());
            return new DirectiveVersion(
                    v.directiveId(),
                    v.version(),
                    v.sourceFile(),
                    v.text(),
                    v.textHash(),
                    to,
                    v.author(),
                    approver,
                    v.createdAt());
        });
    }

    @Override
    public Optional<DirectiveVersion> get(String directiveId, int version) {
        return read(c -> version(c, directiveId, version));
    }

    private Optional<DirectiveVersion> version(Connection c, String directiveId, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + VERSION_COLUMNS + " FROM directive_versions WHERE directive_id = ? AND version = ?")) {
            ps.setString(1, directiveId);
            ps.setInt(2, version);
            List<DirectiveVersion> found = versions(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    private List<DirectiveVersion> versions(PreparedStatement ps) throws SQLException {
        List<DirectiveVersion> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new DirectiveVersion(
                        rs.getString("directive_id"),
                        rs.getInt("version"),
                        rs.getString("source_file"),
                        rs.getString("text"),
                        rs.getString("text_hash"),
                        DirectiveStatus.fromWire(rs.getString("status")),
                        rs.getString("author"),
                        rs.getString("approver"),
                        getInstant(rs, "created_at")));
            }
        }
        return out;
    }

    @Override
    public List<DirectiveVersion> versions(String directiveId) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + VERSION_COLUMNS + " FROM directive_versions WHERE directive_id = ? ORDER BY version")) {
                ps.setString(1, directiveId);
                return versions(ps);
            }
        });
    }

    @Override
    public List<DirectiveVersion> latest() {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + VERSION_COLUMNS + " FROM directive_versions d WHERE version = "
                            + "(SELECT MAX(version) FROM directive_versions l WHERE l.directive_id = d.directive_id) ORDER BY directive_id")) {
                return versions(ps);
            }
        });
    }

    @Override
    public List<DirectiveEvent> history(String directiveId) {
        return read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT * FROM directive_events WHERE directive_id = ? ORDER BY seq")) {
                ps.setString(1, directiveId);
                List<DirectiveEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String from = rs.getString("from_status");
                        out.add(new DirectiveEvent(
                                rs.getLong("seq"),
                                rs.getString("directive_id"),
                                rs.getInt("version"),
                                from == null ? null : DirectiveStatus.fromWire(from),
                                DirectiveStatus.fromWire(rs.getString("to_status")),
                                rs.getString("actor"),
                                rs.getString("reason"),
                                getInstant(rs, "at")));
                    }
                }
                return out;
            }
        });
    }

    // ---- policy versions ----

    @Override
    public PolicyVersion activate(List<DirectiveText> directives, String contentHash, String by, String reason) {
        Set<String> ids = new HashSet<>();
        for (DirectiveText d : directives) {
            if (!ids.add(d.directiveId())) {
                throw new StoreException.Conflict("directive '" + d.directiveId() + "' appears twice in one policy");
            }
        }
        return write(c -> {
            List<VersionRef> refs = new ArrayList<>();
            Set<String> created = new HashSet<>();
            for (DirectiveText d : directives) {
                Optional<DirectiveVersion> latest = latestVersion(c, d.directiveId());
                if (latest.isPresent() && latest.get().text().equals(d.text())) {
                    refs.add(new VersionRef(d.directiveId(), latest.get().version()));
                } else {
                    DirectiveVersion v = insertVersion(c, d, DirectiveStatus.ACTIVE, by, reason);
                    refs.add(new VersionRef(v.directiveId(), v.version()));
                    created.add(v.label());
                }
            }
            return activate(c, refs, created, contentHash, by, reason);
        });
    }

    @Override
    public PolicyVersion activateVersions(List<VersionRef> versions, String contentHash, String by, String reason) {
        Set<String> ids = new HashSet<>();
        for (VersionRef r : versions) {
            if (!ids.add(r.directiveId())) {
                throw new StoreException.Conflict("directive '" + r.directiveId() + "' appears twice in one policy");
            }
        }
        return write(c -> activate(c, versions, Set.of(), contentHash, by, reason));
    }

    private Optional<DirectiveVersion> latestVersion(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + VERSION_COLUMNS
                + " FROM directive_versions WHERE directive_id = ? ORDER BY version DESC LIMIT 1")) {
            ps.setString(1, id);
            List<DirectiveVersion> found = versions(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    private PolicyVersion activate(
            Connection c, List<VersionRef> refs, Set<String> created, String contentHash, String by, String reason)
            throws SQLException {
        Instant now = clock.instant();
        Map<String, DirectiveVersion> members = new LinkedHashMap<>();
        for (VersionRef r : refs) {
            DirectiveVersion v = version(c, r.directiveId(), r.version())
                    .orElseThrow(() ->
                            new StoreException.NotFound("no directive version " + r.directiveId() + "@" + r.version()));
            members.put(v.label(), v);
        }
        List<DirectiveVersion> previouslyActive;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM directive_versions WHERE status = 'active'")) {
            previouslyActive = versions(ps);
        }
        for (DirectiveVersion v : previouslyActive) {
            if (!members.containsKey(v.label())) {
                setStatus(c, v, DirectiveStatus.WITHDRAWN, by, reason, now);
            }
        }
        for (DirectiveVersion v : members.values()) {
            if (v.status() != DirectiveStatus.ACTIVE && !created.contains(v.label())) {
                setStatus(c, v, DirectiveStatus.ACTIVE, by, reason, now);
            }
        }
        long number;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(number), 0) + 1 FROM policy_versions");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            number = rs.getLong(1);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO policy_versions (number, content_hash, activated_at, activated_by, reason) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, number);
            ps.setString(2, contentHash);
            setInstant(ps, 3, now);
            ps.setString(4, actor(by));
            ps.setString(5, reason == null ? "" : reason);
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
        recordChange(c, Change.Kind.POLICY_ACTIVATED, Long.toString(number));
        return policy(c, number).orElseThrow();
    }

    private void setStatus(Connection c, DirectiveVersion v, DirectiveStatus to, String by, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE directive_versions SET status = ? WHERE directive_id = ? AND version = ?")) {
            ps.setString(1, to.wireName());
            ps.setString(2, v.directiveId());
            ps.setInt(3, v.version());
            ps.executeUpdate();
        }
        event(c, v.directiveId(), v.version(), v.status(), to, by, reason, now);
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
                at = getInstant(rs, "activated_at");
                by = rs.getString("activated_by");
                reason = rs.getString("reason");
            }
        }
        List<DirectiveVersion> members;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + prefixed("d.", VERSION_COLUMNS)
                + " FROM policy_members m JOIN directive_versions d ON d.directive_id = m.directive_id AND d.version = m.directive_version"
                + " WHERE m.policy_number = ? ORDER BY d.directive_id")) {
            ps.setLong(1, number);
            members = versions(ps);
        }
        return Optional.of(new PolicyVersion(number, hash, at, by, reason, members));
    }

    private static String prefixed(String alias, String columns) {
        return alias + columns.replace(", ", ", " + alias);
    }

    @Override
    public Optional<PolicyVersion> active() {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(number) FROM policy_versions");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                long number = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : policy(c, number);
            }
        });
    }

    @Override
    public Optional<PolicyVersion> get(long number) {
        return read(c -> policy(c, number));
    }

    @Override
    public List<PolicyVersion> history() {
        return read(c -> {
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

    // ---- change feed ----

    @Override
    public long lastSequence() {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM changes");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public List<Change> since(long after, int limit) {
        return read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT * FROM changes WHERE seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, after);
                ps.setInt(2, limit);
                List<Change> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Change(
                                rs.getLong("seq"),
                                rs.getString("kind"),
                                rs.getString("subject"),
                                getInstant(rs, "at")));
                    }
                }
                return out;
            }
        });
    }

    /** Polls every {@code interval}; PostgreSQL overrides this with LISTEN/NOTIFY. */
    List<Change> poll(long after, Duration timeout, Duration interval) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Change> changes = since(after, 1000);
            long left = deadline - System.nanoTime();
            if (!changes.isEmpty() || left <= 0) {
                return changes;
            }
            Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left / 1_000_000)));
        }
    }

    static String actor(String by) {
        return by == null || by.isBlank() ? "unknown" : by;
    }
}
