package dev.clearance.screening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.core.Principal;
import dev.clearance.core.Screening;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules from matches and reviews to a screening result, over lists held in memory. */
class ScreeningVerdictTest {
    private static final double THRESHOLD = ScreeningIndex.DEFAULT_THRESHOLD;
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static final ListedParty KHUSYAYNOVA = person("SDN", "26233", "Elena Alekseevna Khusyaynova");
    private static final ListedParty MALKEVICH = person("SDN", "26235", "Alexander Malkevich");
    private static final ListedParty KHUSYAYNOVA_ON_THE_ENTITY_LIST = person("EL", "e-1", "Elena Khusyaynova");

    private static final Principal ELENA =
            Principal.builder("elena").name("Elena Alekseevna Khusyaynova").build();
    private static final ListSnapshot LISTS = lists(KHUSYAYNOVA, MALKEVICH);

    private static ListedParty person(String list, String id, String name) {
        return new ListedParty(list, id, PartyType.PERSON, name, List.of(), List.of(), List.of(), List.of());
    }

    /** The parties as one active list version; each entry's content hash is {@code entry-<id>}. */
    private static ListSnapshot lists(ListedParty... parties) {
        ListVersion version = new ListVersion(ListSource.OFAC_SDN, "memory", NOW, "sha256:test", List.of(parties));
        Map<String, String> hashes = new HashMap<>();
        for (ListedParty p : parties) {
            hashes.put(ListSnapshot.key(p.list(), p.entityId()), "entry-" + p.entityId());
        }
        return new ListSnapshot(List.of(1L), "lists-1", ScreeningIndex.build(List.of(version)), hashes);
    }

    private static Review review(long id, Principal p, ListedParty party, String entryHash, ReviewVerdict verdict) {
        return new Review(
                id,
                p.id(),
                party.list(),
                party.entityId(),
                entryHash,
                ScreeningVerdict.subjectHash(p),
                verdict,
                "reason " + id,
                "rev",
                NOW);
    }

    private static PrincipalScreening evaluate(Principal p, List<Review> reviews) {
        return ScreeningVerdict.evaluate(p, LISTS, reviews, THRESHOLD, NOW);
    }

    @Test
    void without_a_loaded_list_a_principal_is_not_screened_never_clear() {
        ListSnapshot none = new ListSnapshot(List.of(), "none", ScreeningIndex.build(List.of()), Map.of());

        PrincipalScreening s = ScreeningVerdict.evaluate(ELENA, none, List.of(), THRESHOLD, NOW);

        assertThat(s.screening()).isEqualTo(Screening.NOT_SCREENED);
        assertThat(s.matches()).isEmpty();
    }

    @Test
    void a_principal_without_a_name_is_not_screened() {
        PrincipalScreening s = evaluate(Principal.builder("nameless").build(), List.of());

        assertThat(s.screening()).isEqualTo(Screening.NOT_SCREENED);
    }

    @Test
    void a_name_like_no_listed_party_is_clear() {
        PrincipalScreening s =
                evaluate(Principal.builder("sam").name("Samuel Okafor").build(), List.of());

        assertThat(s.screening().status()).isEqualTo(Screening.CLEAR);
        assertThat(s.screening().lists()).isEmpty();
        assertThat(s.matches()).isEmpty();
    }

    @Test
    void an_unreviewed_match_at_the_threshold_is_a_potential_match_on_its_list() {
        PrincipalScreening s = evaluate(ELENA, List.of());

        assertThat(s.screening().status()).isEqualTo(Screening.POTENTIAL_MATCH);
        assertThat(s.screening().lists()).containsExactly("SDN");
        assertThat(s.screening().score()).isEqualTo(1.0);
        assertThat(s.matches()).singleElement().satisfies(m -> {
            assertThat(m.entityId()).isEqualTo("26233");
            assertThat(m.state()).isEqualTo(PrincipalScreening.State.POTENTIAL);
            assertThat(m.entryHash()).isEqualTo("entry-26233");
            assertThat(m.reviewId()).isZero();
        });
        assertThat(s.subjectHash()).isEqualTo(ScreeningVerdict.subjectHash(ELENA));
        assertThat(s.listsHash()).isEqualTo("lists-1");
        assertThat(s.screenedAt()).isEqualTo(NOW);
    }

    @Test
    void a_match_below_the_threshold_is_kept_for_the_record_and_leaves_the_principal_clear() {
        Principal similar = Principal.builder("elena").name("Elena Khusyaynova").build();

        PrincipalScreening s = ScreeningVerdict.evaluate(similar, LISTS, List.of(), 0.99, NOW);

        assertThat(s.matches()).singleElement().satisfies(m -> {
            assertThat(m.state()).isEqualTo(PrincipalScreening.State.BELOW_THRESHOLD);
            assertThat(m.score()).isLessThan(0.99);
        });
        assertThat(s.screening().status()).isEqualTo(Screening.CLEAR);
        assertThat(s.screening().lists()).isEmpty();
        assertThat(s.screening().score()).isEqualTo(s.matches().get(0).score());
    }

    @Test
    void a_false_positive_clears_the_match_and_its_score() {
        Review cleared = review(7, ELENA, KHUSYAYNOVA, "entry-26233", ReviewVerdict.FALSE_POSITIVE);

        PrincipalScreening s = evaluate(ELENA, List.of(cleared));

        assertThat(s.screening()).isEqualTo(new Screening(Screening.CLEAR, List.of(), 0.0));
        assertThat(s.matches()).singleElement().satisfies(m -> {
            assertThat(m.state()).isEqualTo(PrincipalScreening.State.FALSE_POSITIVE);
            assertThat(m.reviewId()).isEqualTo(7);
        });
    }

    @Test
    void a_confirmed_review_makes_a_confirmed_match() {
        Review confirmed = review(3, ELENA, KHUSYAYNOVA, "entry-26233", ReviewVerdict.CONFIRMED);

        PrincipalScreening s = evaluate(ELENA, List.of(confirmed));

        assertThat(s.screening().status()).isEqualTo(Screening.CONFIRMED_MATCH);
        assertThat(s.screening().lists()).containsExactly("SDN");
        assertThat(s.matches().get(0).state()).isEqualTo(PrincipalScreening.State.CONFIRMED);
    }

    @Test
    void a_review_of_an_entry_whose_content_changed_no_longer_holds() {
        Review ofTheOldEntry =
                review(7, ELENA, KHUSYAYNOVA, "entry-before-the-list-changed", ReviewVerdict.FALSE_POSITIVE);

        PrincipalScreening s = evaluate(ELENA, List.of(ofTheOldEntry));

        assertThat(s.screening().status()).isEqualTo(Screening.POTENTIAL_MATCH);
        assertThat(s.matches().get(0).reviewId()).isZero();
    }

    @Test
    void a_review_made_before_the_principals_name_changed_no_longer_holds() {
        Principal before = Principal.builder("elena").name("E. A. Khusyaynova").build();
        Review ofTheOldName = review(7, before, KHUSYAYNOVA, "entry-26233", ReviewVerdict.FALSE_POSITIVE);

        PrincipalScreening s = evaluate(ELENA, List.of(ofTheOldName));

        assertThat(s.screening().status()).isEqualTo(Screening.POTENTIAL_MATCH);
    }

    @Test
    void a_review_of_another_entry_does_not_decide_this_one() {
        Review ofAnother = review(7, ELENA, MALKEVICH, "entry-26235", ReviewVerdict.FALSE_POSITIVE);

        PrincipalScreening s = evaluate(ELENA, List.of(ofAnother));

        assertThat(s.screening().status()).isEqualTo(Screening.POTENTIAL_MATCH);
    }

    @Test
    void the_latest_holding_review_decides_whatever_order_the_reviews_come_in() {
        Review cleared = review(4, ELENA, KHUSYAYNOVA, "entry-26233", ReviewVerdict.FALSE_POSITIVE);
        Review confirmedLater = review(9, ELENA, KHUSYAYNOVA, "entry-26233", ReviewVerdict.CONFIRMED);

        assertThat(evaluate(ELENA, List.of(cleared, confirmedLater)).screening().status())
                .isEqualTo(Screening.CONFIRMED_MATCH);
        assertThat(evaluate(ELENA, List.of(confirmedLater, cleared))
                        .matches()
                        .get(0)
                        .reviewId())
                .isEqualTo(9);
    }

    @Test
    void one_confirmed_match_outweighs_potential_ones_and_every_counting_list_is_named() {
        ListSnapshot twoLists = lists(KHUSYAYNOVA, KHUSYAYNOVA_ON_THE_ENTITY_LIST);
        Review confirmed = review(1, ELENA, KHUSYAYNOVA, "entry-26233", ReviewVerdict.CONFIRMED);

        PrincipalScreening s = ScreeningVerdict.evaluate(ELENA, twoLists, List.of(confirmed), 0.5, NOW);

        assertThat(s.matches())
                .extracting(PrincipalScreening.Match::state)
                .containsExactlyInAnyOrder(PrincipalScreening.State.CONFIRMED, PrincipalScreening.State.POTENTIAL);
        assertThat(s.screening().status()).isEqualTo(Screening.CONFIRMED_MATCH);
        assertThat(s.screening().lists()).containsExactlyInAnyOrder("SDN", "EL");
    }

    @Test
    void the_screened_data_is_the_kind_and_the_trimmed_name() {
        Principal person = Principal.builder("x").name("Nevskiy News").build();
        Principal padded = Principal.builder("y").name("  Nevskiy News ").build();
        Principal organisation = Principal.builder("x")
                .kind(Principal.Kind.ORGANIZATION)
                .name("Nevskiy News")
                .build();

        assertThat(ScreeningVerdict.subjectHash(padded)).isEqualTo(ScreeningVerdict.subjectHash(person));
        assertThat(ScreeningVerdict.subjectHash(organisation)).isNotEqualTo(ScreeningVerdict.subjectHash(person));
    }
}
