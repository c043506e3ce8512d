package dev.clearance.screening;

import dev.clearance.core.Principal;
import dev.clearance.core.Screening;
import dev.clearance.store.Change;
import dev.clearance.store.Database;
import dev.clearance.store.Store;
import dev.clearance.store.StoredPosition;
import dev.clearance.store.StoredPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

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
 * screened data (kind and name) are unchanged; after either changes the match is potential again
 * (the rules: {@link ScreeningVerdict}). This class is the API an admin endpoint calls; it is safe
 * for concurrent use.
 */
public final class ScreeningRegistry {
    /** Change-feed kind: a list version became active; subject is {@code source:content-hash}. */
    public static final String LIST_ACTIVATED = "screening_list_activated";
    /** Change-feed kind: one principal's screening changed; subject is the principal id. */
    public static final String SCREENING_UPDATED = "screening_updated";
    /** Change-feed kind: every principal was re-screened; subject is the count. Caches drop all. */
    public static final String RESCREENED = "screening_rescreened";

    private static final int BATCH = 2000;

    private final Store store;
    private final Database db;
    private final Clock clock;
    private final double threshold;
    private final ActiveLists lists;
    private final ScreeningResults results;
    private final ScreeningReviews reviews;
    private final StoredPosition followed;
    private final StoredPosition reviewsRecorded;

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
        this.lists = new ActiveLists(db);
        this.results = new ScreeningResults(db);
        this.reviews = new ScreeningReviews(db);
        this.followed = new StoredPosition(db, "screening_state", "followed_sequence");
        this.reviewsRecorded = new StoredPosition(db, "screening_state", "reviews_recorded");
    }

    // ---- lists ----

    /**
     * Stores a list version and makes it the active one of its source, then re-screens every
     * principal. Importing identical content again changes nothing. Importing is done before
     * calling this ({@link ListImporter}), so a failed import never reaches the store.
     */
    public Activation activate(ListVersion version, String by) {
        ActiveLists.Activated a = lists.activate(version, by, LIST_ACTIVATED);
        return a.unchanged()
                ? new Activation(a.listVersionId(), true, 0)
                : new Activation(a.listVersionId(), false, rescreenAll());
    }

    /** The active list versions, one per source at most. */
    public List<StoredList> activeLists() {
        return lists.stored();
    }

    /** Every list version ever imported (active or replaced), newest first: the import history. */
    public List<StoredList> imports() {
        return lists.imported();
    }

    /** The index over the active lists, rebuilt when another version became active. */
    public ScreeningIndex index() {
        return lists.snapshot().index();
    }

    // ---- screening principals ----

    /** Screens one principal now (without storing), taking its holding reviews into account. */
    public PrincipalScreening evaluate(Principal principal) {
        return ScreeningVerdict.evaluate(
                principal, lists.snapshot(), reviews.of(principal.id()), threshold, clock.instant());
    }

    /** Screens a stored principal again and stores the result; empty when there is no such principal. */
    public Optional<PrincipalScreening> rescreen(String principalId) {
        Optional<StoredPrincipal> sp = store.principals().get(principalId);
        if (sp.isEmpty()) {
            results.delete(principalId);
            return Optional.empty();
        }
        PrincipalScreening result = evaluate(sp.get().principal());
        results.put(result, SCREENING_UPDATED);
        return Optional.of(result);
    }

    /**
     * Screens every stored principal against the active lists and stores the results, in batches;
     * records one {@link #RESCREENED} change. Returns how many principals were screened.
     */
    public int rescreenAll() {
        ListSnapshot snapshot = lists.snapshot();
        Map<String, List<Review>> all = reviews.byPrincipal();
        int[] count = {0};
        List<Principal> batch = new ArrayList<>(BATCH);
        Consumer<List<Principal>> screenAndStore = principals -> {
            if (principals.isEmpty()) {
                return;
            }
            results.putAll(principals.parallelStream()
                    .map(p -> ScreeningVerdict.evaluate(
                            p, snapshot, all.getOrDefault(p.id(), List.of()), threshold, clock.instant()))
                    .toList());
            count[0] += principals.size();
        };
        store.principals().forEach(sp -> {
            batch.add(sp.principal());
            if (batch.size() == BATCH) {
                screenAndStore.accept(batch);
                batch.clear();
            }
        });
        screenAndStore.accept(batch);
        db.write(c -> db.recordChange(c, RESCREENED, Integer.toString(count[0])));
        return count[0];
    }

    /**
     * Screens the principals changed since the last call, following the store's change feed: a
     * principal put is screened, a deleted one loses its result, a bulk import re-screens all.
     * Returns how many principals were screened. Call it after imports, or from a node's change
     * listener.
     */
    public int followChanges() {
        long after = followed.get();
        int screened = 0;
        while (true) {
            List<Change> changes = store.changes().since(after, 1000);
            if (changes.isEmpty()) {
                break;
            }
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
                    if (rescreen(id).isPresent()) {
                        screened++;
                    }
                }
            }
            followed.set(after);
        }
        return screened;
    }

    /** The stored result of a principal, if it has been screened. */
    public Optional<PrincipalScreening> result(String principalId) {
        return results.get(principalId);
    }

    /** What directives see as {@code principal.screening}: the stored status, or not screened. */
    public Screening screeningOf(String principalId) {
        return results.screening(principalId).orElse(Screening.NOT_SCREENED);
    }

    /**
     * The principal with its stored screening and, for a person with an organisation, the
     * organisation's as {@code organization_screening}. A principal whose screened data changed
     * since its result was stored reads as not screened until it is screened again.
     */
    public Principal attach(Principal p) {
        Screening mine = result(p.id())
                .filter(r -> r.subjectHash().equals(ScreeningVerdict.subjectHash(p)))
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
     * @throws IllegalArgumentException naming the field when the reason or reviewer is blank, or
     *                                  the principal has no such match
     */
    public Review review(
            String principalId, String list, String entityId, ReviewVerdict verdict, String reason, String reviewer) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("review of principal '" + principalId + "': field 'reason' is "
                    + (reason == null ? "missing" : "blank") + "; a review needs a reason");
        }
        if (reviewer == null || reviewer.isBlank()) {
            throw new IllegalArgumentException("review of principal '" + principalId + "': field 'reviewer' is "
                    + (reviewer == null ? "missing" : "blank") + "; a review needs a reviewer");
        }
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
        Review review = reviews.add(
                principalId, match, current.subjectHash(), verdict, reason.trim(), reviewer, clock.instant());
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
    public int recordReviews(Consumer<Review> sink) {
        List<Review> fresh = reviews.after(reviewsRecorded.get());
        for (Review r : fresh) {
            sink.accept(r);
            reviewsRecorded.set(r.id());
        }
        return fresh.size();
    }

    /** Every review of a principal, oldest first (the record, including reviews that no longer hold). */
    public List<Review> reviewsOf(String principalId) {
        return reviews.of(principalId);
    }

    /** Potential matches no holding review has decided, highest score first, at most {@code limit}. */
    public List<PendingMatch> pending(int limit) {
        return results.pending(limit);
    }
}
