package dev.clearance.screening;

import dev.clearance.core.Principal;
import dev.clearance.core.Screening;
import dev.clearance.core.Sha256;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules that turn what a principal's name resembles on the active lists, and what reviewers
 * said about it, into the principal's screening result. Pure: the caller passes the lists, the
 * reviews and the time.
 *
 * <ul>
 *   <li>No list loaded, or no name to screen: {@code not_screened}, which no directive reads as clear.
 *   <li>A review holds for a match while the listed entry (its content hash) and the principal's
 *       screened data (kind and name, {@link #subjectHash}) are what the reviewer saw; the latest
 *       holding review decides the match.
 *   <li>Without a holding review a match is potential at or above the threshold; below it the match
 *       is kept for the record and counts only towards the score.
 *   <li>Any confirmed match makes the status {@code confirmed_match}, else any potential one
 *       {@code potential_match}, else {@code clear}. The lists are those of the confirmed and
 *       potential matches; the score is the best of every match not cleared as a false positive.
 * </ul>
 */
final class ScreeningVerdict {
    /** Candidates scoring less than this are not even kept for the record. */
    static final double MIN_SCORE = 0.5;

    private ScreeningVerdict() {}

    /** Screens {@code p} against {@code lists}, taking its reviews into account. */
    static PrincipalScreening evaluate(
            Principal p, ListSnapshot lists, List<Review> reviews, double threshold, Instant now) {
        String subject = subjectHash(p);
        if (lists.isEmpty() || p.name().isBlank()) {
            return new PrincipalScreening(p.id(), subject, lists.listsHash(), Screening.NOT_SCREENED, List.of(), now);
        }
        PartyType kind = p.kind() == Principal.Kind.ORGANIZATION ? PartyType.ORGANIZATION : PartyType.PERSON;
        List<ScreeningMatch> found = lists.index()
                .screen(new ScreeningQuery(p.name(), kind, "", ""), threshold, MIN_SCORE, ScreeningIndex.DEFAULT_LIMIT);
        List<PrincipalScreening.Match> matches = new ArrayList<>();
        Set<String> listed = new LinkedHashSet<>();
        boolean confirmed = false;
        boolean potential = false;
        double score = 0.0;
        for (ScreeningMatch m : found) {
            String entryHash = lists.entryHash(m.party());
            Review holding = holdingReview(m.party(), entryHash, subject, reviews);
            PrincipalScreening.State state = state(m, holding);
            if (state != PrincipalScreening.State.FALSE_POSITIVE) {
                score = Math.max(score, m.score());
            }
            if (state == PrincipalScreening.State.CONFIRMED || state == PrincipalScreening.State.POTENTIAL) {
                listed.add(m.party().list());
                confirmed |= state == PrincipalScreening.State.CONFIRMED;
                potential |= state == PrincipalScreening.State.POTENTIAL;
            }
            matches.add(new PrincipalScreening.Match(
                    m.party().list(),
                    m.party().entityId(),
                    m.party().name(),
                    round(m.score()),
                    entryHash,
                    state,
                    m.explanation().toString(),
                    holding == null ? 0 : holding.id()));
        }
        String status = confirmed ? Screening.CONFIRMED_MATCH : potential ? Screening.POTENTIAL_MATCH : Screening.CLEAR;
        Screening s = new Screening(status, List.copyOf(listed), round(score));
        return new PrincipalScreening(p.id(), subject, lists.listsHash(), s, matches, now);
    }

    /** The latest review of this party's entry, as listed now, of the principal as it is now; or null. */
    static Review holdingReview(ListedParty party, String entryHash, String subjectHash, List<Review> reviews) {
        Review holding = null;
        for (Review r : reviews) {
            if (r.list().equals(party.list())
                    && r.entityId().equals(party.entityId())
                    && r.entryHash().equals(entryHash)
                    && r.subjectHash().equals(subjectHash)
                    && (holding == null || r.id() > holding.id())) {
                holding = r;
            }
        }
        return holding;
    }

    private static PrincipalScreening.State state(ScreeningMatch m, Review holding) {
        if (holding != null) {
            return switch (holding.verdict()) {
                case FALSE_POSITIVE -> PrincipalScreening.State.FALSE_POSITIVE;
                case CONFIRMED -> PrincipalScreening.State.CONFIRMED;
            };
        }
        return m.match() ? PrincipalScreening.State.POTENTIAL : PrincipalScreening.State.BELOW_THRESHOLD;
    }

    /** What screening reads from a principal: a change to either re-opens its reviews. */
    static String subjectHash(Principal p) {
        return Sha256.hex(p.kind().wireName() + "\n" + p.name().trim());
    }

    /** Scores are stored to four decimals. */
    private static double round(double score) {
        return Math.round(score * 10_000.0) / 10_000.0;
    }
}
