package dev.clearance.screening;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.core.Principal;
import dev.clearance.core.Screening;
import dev.clearance.store.Change;
import dev.clearance.store.Database;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import dev.clearance.store.StoredPrincipal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Screening on the record: the active list versions, every principal's screening result, and the
 * reviewers' verdicts, kept in the store's database beside the principals (migrations V20-V29).
 *
 * <p>When results change: {@link #activate} (a new list version re-screens every principal),
 * {@link #followChanges} (principals put, imported or deleted since the last call are screened
 * again), and {@link #review} (a verdict re-computes that principal). {@link #attach} puts the
 * stored results on a principal, as {@code principal.screening} and
 * {@code principal.organization_screening} for directives; a principal never screened reads as
 * {@code not_screened}, never as clear.
 *
 * <p>A review holds while the listed entry it judged (its content hash) and the principal's
 * screened data (kind and name) are unchanged; after either changes the match is potential again.
 * This class is the API an admin endpoint calls; it is safe for concurrent use.
 */
public final class ScreeningRegistry {
    /** Change-feed kind: a list version became active; subject is {@code source:content-hash}. */
    public static final String LIST_ACTIVATED = "screening_list_activated";
    /** Change-feed kind: one principal's screening changed; subject is the principal id. */
    public static final String SCREENING_UPDATED = "screening_updated";
    /** Change-feed kind: every principal was re-screened; subject is the count. Caches drop all. */
    public static final String RESCREENED = "screening_rescreened";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 2000;
    private static final String FOLLOWED = "followed_sequence";
    private static final String REVIEWS_RECORDED = "reviews_recorded";

    private final Store store;
    private final Database db;
    private final Clock clock;
    private final double threshold;
    private volatile Loaded loaded;

    /** Active lists with their index and the content hash of each entry. */
    private record Loaded(
            List<Long> versionIds, String listsHash, ScreeningIndex index, Map<String, String> entryHashes) {}

    /** What one list activation did. */
    public record Activation(long listVersionId, boolean unchanged, int rescreened) {}

    /** An active list version as stored. */
    public record StoredList(
            long id,
            ListSource source,
            String origin,
            Instant importedAt,
            String importedBy,
            String contentHash,
            int parties) {}

    /** A potential match waiting for a reviewer. */
    public record PendingMatch(String principalId, PrincipalScreening.Match match) {}

    public ScreeningRegistry(Store store, Clock clock) {
        this(store, clock, ScreeningIndex.DEFAULT_THRESHOLD);
    }

    public ScreeningRegistry(Store store, Clock clock, double threshold) {
        this.store = store;
        this.db = store.database();
        this.clock = clock;
        this.threshold = threshold;
    }

    // ---- lists ----

    /**
     * Stores a list version and makes it the active one of its source, then re-screens every
     * principal. Importing identical content again changes nothing. Importing is done before
     * calling this ({@link ListImporter}), so a failed import never reaches the store.
     */
    public Activation activate(ListVersion version, String by) {
        long id = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM screening_lists WHERE source = ? AND active = 1 AND content_hash = ?")) {
                ps.setString(1, version.source().wireName());
                ps.setString(2, version.contentHash());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return -rs.getLong(1);
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
                    String doc = json(p);
                    ps.setLong(1, listId);
                    ps.setInt(2, position++);
                    ps.setString(3, p.list());
                    ps.setString(4, p.entityId());
                    ps.setString(5, sha256(doc));
                    ps.setString(6, doc);
                    ps.addBatch();
                    if (position % BATCH == 0) ps.executeBatch();
                }
                ps.executeBatch();
            }
            db.recordChange(c, LIST_ACTIVATED, version.source().wireName() + ":" + version.contentHash());
            return listId;
        });
        if (id < 0) return new Activation(-id, true, 0);
        return new Activation(id, false, rescreenAll());
    }

    /** The active list versions, one per source at most. */
    public List<StoredList> activeLists() {
        return db.read(c -> {
            List<StoredList> out = new ArrayList<>();
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT id, source, origin, imported_at, imported_by, content_hash,"
                                    + " party_count FROM screening_lists WHERE active = 1 ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredList(
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

    /** The index over the active lists, rebuilt when another version became active. */
    public ScreeningIndex index() {
        return current().index();
    }

    private Loaded current() {
        List<StoredList> active = activeLists();
        List<Long> ids = active.stream().map(StoredList::id).toList();
        Loaded l = loaded;
        if (l != null && l.versionIds().equals(ids)) return l;
        synchronized (this) {
            l = loaded;
            if (l != null && l.versionIds().equals(ids)) return l;
            List<ListVersion> versions = new ArrayList<>();
            Map<String, String> hashes = new HashMap<>();
            StringBuilder listsKey = new StringBuilder();
            for (StoredList s : active) {
                List<ListedParty> parties = db.read(c -> {
                    List<ListedParty> ps = new ArrayList<>(s.parties());
                    try (PreparedStatement q = c.prepareStatement(
                            "SELECT document, entry_hash FROM screening_parties WHERE list_version = ? ORDER BY position")) {
                        q.setLong(1, s.id());
                        try (ResultSet rs = q.executeQuery()) {
                            while (rs.next()) {
                                ListedParty p = parse(rs.getString(1), ListedParty.class);
                                ps.add(p);
                                hashes.put(key(p.list(), p.entityId()), rs.getString(2));
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
            l = new Loaded(ids, sha256(listsKey.toString()), ScreeningIndex.build(versions), Map.copyOf(hashes));
            loaded = l;
            return l;
        }
    }

    // ---- screening principals ----

    /** Screens one principal now (without storing), taking its holding reviews into account. */
    public PrincipalScreening evaluate(Principal principal) {
        return evaluate(principal, current(), reviewsOf(principal.id()));
    }

    private PrincipalScreening evaluate(Principal p, Loaded l, List<Review> reviews) {
        String subject = subjectHash(p);
        Instant now = clock.instant();
        if (l.versionIds().isEmpty() || p.name().isBlank()) {
            // No list loaded, or nothing to screen: not screened, which no directive reads as clear.
            return new PrincipalScreening(p.id(), subject, l.listsHash(), Screening.NOT_SCREENED, List.of(), now);
        }
        PartyType kind = p.kind() == Principal.Kind.ORGANIZATION ? PartyType.ORGANIZATION : PartyType.PERSON;
        List<ScreeningMatch> found = l.index()
                .screen(new ScreeningQuery(p.name(), kind, "", ""), threshold, 0.5, ScreeningIndex.DEFAULT_LIMIT);
        List<PrincipalScreening.Match> matches = new ArrayList<>();
        Set<String> lists = new LinkedHashSet<>();
        boolean confirmed = false;
        boolean potential = false;
        double score = 0.0;
        for (ScreeningMatch m : found) {
            String entryHash =
                    l.entryHashes().getOrDefault(key(m.party().list(), m.party().entityId()), "");
            Review holding = null;
            for (Review r : reviews) {
                if (r.list().equals(m.party().list())
                        && r.entityId().equals(m.party().entityId())
                        && r.entryHash().equals(entryHash)
                        && r.subjectHash().equals(subject)
                        && (holding == null || r.id() > holding.id())) {
                    holding = r;
                }
            }
            PrincipalScreening.State state;
            if (holding != null && holding.verdict() == ReviewVerdict.FALSE_POSITIVE) {
                state = PrincipalScreening.State.FALSE_POSITIVE;
            } else if (holding != null) {
                state = PrincipalScreening.State.CONFIRMED;
            } else {
                state = m.match() ? PrincipalScreening.State.POTENTIAL : PrincipalScreening.State.BELOW_THRESHOLD;
            }
            if (state != PrincipalScreening.State.FALSE_POSITIVE) score = Math.max(score, m.score());
            if (state == PrincipalScreening.State.CONFIRMED || state == PrincipalScreening.State.POTENTIAL) {
                lists.add(m.party().list());
                confirmed |= state == PrincipalScreening.State.CONFIRMED;
                potential |= state == PrincipalScreening.State.POTENTIAL;
            }
            matches.add(new PrincipalScreening.Match(
                    m.party().list(),
                    m.party().entityId(),
                    m.party().name(),
                    Math.round(m.score() * 10_000.0) / 10_000.0,
                    entryHash,
                    state,
                    m.explanation().toString(),
                    holding == null ? 0 : holding.id()));
        }
        String status = confirmed ? Screening.CONFIRMED_MATCH : potential ? Screening.POTENTIAL_MATCH : Screening.CLEAR;
        Screening s = new Screening(status, List.copyOf(lists), Math.round(score * 10_000.0) / 10_000.0);
        return new PrincipalScreening(p.id(), subject, l.listsHash(), s, matches, now);
    }

    /** Screens a stored principal again and stores the result; empty when there is no such principal. */
    public Optional<PrincipalScreening> rescreen(String principalId) {
        Optional<StoredPrincipal> sp = store.principals().get(principalId);
        if (sp.isEmpty()) {
            db.write(c -> deleteResult(c, principalId));
            return Optional.empty();
        }
        PrincipalScreening result = evaluate(sp.get().principal());
        db.write(c -> {
            Optional<Screening> before = readScreening(c, principalId);
            upsert(c, result);
            if (before.isEmpty() || !before.get().equals(result.screening())) {
                db.recordChange(c, SCREENING_UPDATED, principalId);
            }
            return null;
        });
        return Optional.of(result);
    }

    /**
     * Screens every stored principal against the active lists and stores the results, in batches;
     * records one {@link #RESCREENED} change. Returns how many principals were screened.
     */
    public int rescreenAll() {
        Loaded l = current();
        Map<String, List<Review>> reviews = allReviews();
        int[] count = {0};
        List<Principal> batch = new ArrayList<>(BATCH);
        store.principals().forEach(sp -> {
            batch.add(sp.principal());
            if (batch.size() == BATCH) {
                count[0] += screenAndStore(batch, l, reviews);
                batch.clear();
            }
        });
        count[0] += screenAndStore(batch, l, reviews);
        db.write(c -> db.recordChange(c, RESCREENED, Integer.toString(count[0])));
        return count[0];
    }

    private int screenAndStore(List<Principal> batch, Loaded l, Map<String, List<Review>> reviews) {
        if (batch.isEmpty()) return 0;
        List<PrincipalScreening> results = batch.parallelStream()
                .map(p -> evaluate(p, l, reviews.getOrDefault(p.id(), List.of())))
                .toList();
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
        return results.size();
    }

    /**
     * Screens the principals changed since the last call, following the store's change feed: a
     * principal put is screened, a deleted one loses its result, a bulk import re-screens all.
     * Returns how many principals were screened. Call it after imports, or from a node's change
     * listener.
     */
    public int followChanges() {
        long after = readState(FOLLOWED);
        int screened = 0;
        while (true) {
            List<Change> changes = store.changes().since(after, 1000);
            if (changes.isEmpty()) break;
            Set<String> put = new LinkedHashSet<>();
            boolean all = false;
            for (Change ch : changes) {
                switch (ch.kind()) {
                    case Change.Kind.PRINCIPAL_PUT, Change.Kind.PRINCIPAL_DELETED -> put.add(ch.subject());
                    case Change.Kind.PRINCIPALS_IMPORTED -> all = true;
                    default -> {}
                }
                after = ch.sequence();
            }
            if (all) {
                screened += rescreenAll();
            } else {
                for (String id : put) {
                    if (rescreen(id).isPresent()) screened++;
                }
            }
            writeState(FOLLOWED, after);
        }
        return screened;
    }

    /** The stored result of a principal, if it has been screened. */
    public Optional<PrincipalScreening> result(String principalId) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT principal_id, subject_hash, lists_hash, status, lists, score,"
                            + " matches, screened_at FROM screening_results WHERE principal_id = ?")) {
                ps.setString(1, principalId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    return Optional.of(new PrincipalScreening(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            new Screening(
                                    rs.getString(4),
                                    parse(rs.getString(5), new TypeReference<List<String>>() {}),
                                    rs.getDouble(6)),
                            parse(rs.getString(7), new TypeReference<List<PrincipalScreening.Match>>() {}),
                            Instant.parse(rs.getString(8))));
                }
            }
        });
    }

    /** What directives see as {@code principal.screening}: the stored status, or not screened. */
    public Screening screeningOf(String principalId) {
        return db.read(c -> readScreening(c, principalId)).orElse(Screening.NOT_SCREENED);
    }

    /**
     * The principal with its stored screening and, for a person with an organisation, the
     * organisation's as {@code organization_screening}. A principal whose screened data changed
     * since its result was stored reads as not screened until it is screened again.
     */
    public Principal attach(Principal p) {
        Optional<PrincipalScreening> own = result(p.id());
        Screening mine = own.filter(r -> r.subjectHash().equals(subjectHash(p)))
                .map(PrincipalScreening::screening)
                .orElse(Screening.NOT_SCREENED);
        Screening org = p.organization().isEmpty() ? Screening.NOT_SCREENED : screeningOf(p.organization());
        return p.withScreening(mine, org);
    }

    // ---- review ----

    /**
     * Records a reviewer's verdict on one current match of a principal, with a reason, and
     * re-computes the principal's status. The verdict holds until the listed entry or the
     * principal's kind or name changes.
     *
     * @throws IllegalArgumentException when the reason is blank or the principal has no such match
     */
    public Review review(
            String principalId, String list, String entityId, ReviewVerdict verdict, String reason, String reviewer) {
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a review needs a reason");
        if (reviewer == null || reviewer.isBlank()) throw new IllegalArgumentException("a review needs a reviewer");
        PrincipalScreening current = rescreen(principalId)
                .orElseThrow(() -> new IllegalArgumentException("no principal '" + principalId + "'"));
        PrincipalScreening.Match match = current.matches().stream()
                .filter(m -> m.list().equals(list) && m.entityId().equals(entityId))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException("principal '" + principalId + "' has no match with " + list
                                + " entry " + entityId + "; its matches: "
                                + current.matches().stream()
                                        .map(m -> m.list() + " " + m.entityId())
                                        .toList()));
        Instant now = clock.instant();
        Review review = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO screening_reviews (principal_id, list, entity_id, entry_hash,"
                            + " subject_hash, verdict, reason, reviewer, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, principalId);
                ps.setString(2, list);
                ps.setString(3, entityId);
                ps.setString(4, match.entryHash());
                ps.setString(5, current.subjectHash());
                ps.setString(6, verdict.wireName());
                ps.setString(7, reason.trim());
                ps.setString(8, reviewer);
                ps.setString(9, now.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Review(
                            rs.getLong(1),
                            principalId,
                            list,
                            entityId,
                            match.entryHash(),
                            current.subjectHash(),
                            verdict,
                            reason.trim(),
                            reviewer,
                            now);
                }
            }
        });
        rescreen(principalId);
        return review;
    }

    /**
     * Hands every review not yet handed on to {@code sink}, oldest first, and remembers (in the store)
     * the last one the sink accepted; a review is handed on again only if the sink threw. The serving
     * process passes its decision log, so reviews made from any process reach the tamper-evident record.
     *
     * @return how many reviews were handed on
     */
    public int recordReviews(java.util.function.Consumer<Review> sink) {
        long after = readState(REVIEWS_RECORDED);
        List<Review> fresh = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(REVIEWS + " WHERE id > ? ORDER BY id")) {
                ps.setLong(1, after);
                return readReviews(ps);
            }
        });
        for (Review r : fresh) {
            sink.accept(r);
            writeState(REVIEWS_RECORDED, r.id());
        }
        return fresh.size();
    }

    /** A position this registry keeps in the store (0 when never written). */
    private long readState(String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM screening_state WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Long.parseLong(rs.getString(1)) : 0L;
                }
            }
        });
    }

    private void writeState(String name, long value) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO screening_state (name, value) VALUES (?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, name);
                ps.setString(2, Long.toString(value));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Every review of a principal, oldest first (the record, including reviews that no longer hold). */
    public List<Review> reviewsOf(String principalId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(REVIEWS + " WHERE principal_id = ? ORDER BY id")) {
                ps.setString(1, principalId);
                return readReviews(ps);
            }
        });
    }

    /** Potential matches no holding review has decided, highest score first, at most {@code limit}. */
    public List<PendingMatch> pending(int limit) {
        List<PendingMatch> out = new ArrayList<>();
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT principal_id, matches FROM screening_results WHERE status = ? ORDER BY principal_id")) {
                ps.setString(1, Screening.POTENTIAL_MATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        for (PrincipalScreening.Match m :
                                parse(rs.getString(2), new TypeReference<List<PrincipalScreening.Match>>() {})) {
                            if (m.state() == PrincipalScreening.State.POTENTIAL)
                                out.add(new PendingMatch(rs.getString(1), m));
                        }
                    }
                }
            }
            return null;
        });
        out.sort(Comparator.comparingDouble((PendingMatch p) -> -p.match().score())
                .thenComparing(PendingMatch::principalId));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    // ---- storage ----

    private static final String UPSERT =
            "INSERT INTO screening_results (principal_id, subject_hash, lists_hash, status, lists,"
                    + " score, matches, screened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (principal_id) DO UPDATE SET"
                    + " subject_hash = excluded.subject_hash, lists_hash = excluded.lists_hash, status = excluded.status,"
                    + " lists = excluded.lists, score = excluded.score, matches = excluded.matches, screened_at = excluded.screened_at";
    private static final String REVIEWS =
            "SELECT id, principal_id, list, entity_id, entry_hash, subject_hash, verdict, reason,"
                    + " reviewer, reviewed_at FROM screening_reviews";

    private static void upsert(Connection c, PrincipalScreening r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            bind(ps, r);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, PrincipalScreening r) throws SQLException {
        ps.setString(1, r.principalId());
        ps.setString(2, r.subjectHash());
        ps.setString(3, r.listsHash());
        ps.setString(4, r.screening().status());
        ps.setString(5, json(r.screening().lists()));
        ps.setDouble(6, r.screening().score());
        ps.setString(7, json(r.matches()));
        ps.setString(8, r.screenedAt().toString());
    }

    private static Void deleteResult(Connection c, String principalId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM screening_results WHERE principal_id = ?")) {
            ps.setString(1, principalId);
            ps.executeUpdate();
        }
        return null;
    }

    private static Optional<Screening> readScreening(Connection c, String principalId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT status, lists, score FROM screening_results WHERE principal_id = ?")) {
            ps.setString(1, principalId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Screening(
                        rs.getString(1),
                        parse(rs.getString(2), new TypeReference<List<String>>() {}),
                        rs.getDouble(3)));
            }
        }
    }

    private Map<String, List<Review>> allReviews() {
        return db.read(c -> {
            Map<String, List<Review>> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(REVIEWS + " ORDER BY id")) {
                for (Review r : readReviews(ps))
                    out.computeIfAbsent(r.principalId(), k -> new ArrayList<>()).add(r);
            }
            return out;
        });
    }

    private static List<Review> readReviews(PreparedStatement ps) throws SQLException {
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

    /** What screening reads from a principal: a change to either re-opens its reviews. */
    static String subjectHash(Principal p) {
        return sha256(p.kind().wireName() + "\n" + p.name().trim());
    }

    private static String key(String list, String entityId) {
        return list + "\u0000" + entityId;
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("screening records always serialise", e);
        }
    }

    private static <T> T parse(String s, Class<T> type) {
        try {
            return JSON.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored screening data is not readable: " + e.getOriginalMessage());
        }
    }

    private static <T> T parse(String s, TypeReference<T> type) {
        try {
            return JSON.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored screening data is not readable: " + e.getOriginalMessage());
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
