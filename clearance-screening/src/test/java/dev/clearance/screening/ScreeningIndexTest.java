package dev.clearance.screening;

import static dev.clearance.screening.ListImporterTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScreeningIndexTest {
    private static final double T = ScreeningIndex.DEFAULT_THRESHOLD;
    private static ScreeningIndex index;

    @BeforeAll
    static void importFixtures() throws Exception {
        ListImporter importer = new ListImporter(Clock.systemUTC());
        index = ScreeningIndex.build(List.of(
                importer.ofacSdn(resource("ofac")),
                importer.csl(resource("csl.csv")),
                importer.bisDpl(resource("dpl.txt"))));
    }

    private static ScreeningMatch best(String name) {
        return best(ScreeningQuery.ofName(name));
    }

    private static ScreeningMatch best(ScreeningQuery q) {
        List<ScreeningMatch> ms = index.screen(q, T, 0.0, 10);
        assertThat(ms).as("candidates for %s", q.name()).isNotEmpty();
        return ms.get(0);
    }

    private static void assertMatches(String query, String entityId) {
        ScreeningMatch m = best(query);
        assertThat(m.party().entityId()).as(query + " -> " + m.explanation()).isEqualTo(entityId);
        assertThat(m.match())
                .as(query + " scores " + m.score() + ": " + m.explanation())
                .isTrue();
    }

    @Test
    void an_exact_listed_name_scores_one() {
        ScreeningMatch m = best("BANCO NACIONAL DE CUBA");
        assertThat(m.party().entityId()).isEqualTo("306");
        assertThat(m.score()).isEqualTo(1.0);
        assertThat(m.match()).isTrue();
    }

    @Test
    void token_order_does_not_matter() {
        assertMatches("Elena Alekseevna Khusyaynova", "26233");
        assertMatches("Khusyaynova Elena Alekseevna", "26233");
    }

    @Test
    void a_one_character_typo_still_matches() {
        assertMatches("Elena Khusyainova", "26233");
        assertMatches("Alexander Malkevic", "26235");
        assertMatches("Banco Nacional de Cubba", "306");
    }

    @Test
    void a_dropped_middle_name_still_matches() {
        assertMatches("Elena Khusyaynova", "26233");
        assertMatches("Lotfi Rihani", "8099");
    }

    @Test
    void diacritics_and_case_do_not_matter() {
        assertMatches("Éléna KHUSYAYNOVÁ", "26233");
    }

    @Test
    void names_in_cyrillic_match_their_romanisation() {
        assertMatches("Малькевич Александр Александрович", "26235");
        assertMatches("Кривoручко Алексей", "15885");
    }

    @Test
    void names_in_arabic_script_without_vowels_match_on_their_consonants() {
        assertMatches("سعيد مرتضوي", "12254");
    }

    @Test
    void aliases_are_screened_and_the_explanation_says_which_alias_matched() {
        ScreeningMatch m = best("National Bank of Cuba");
        assertThat(m.party().entityId()).isEqualTo("306");
        assertThat(m.explanation().alias()).isTrue();
        assertThat(m.explanation().listedName()).isEqualTo("NATIONAL BANK OF CUBA");
    }

    @Test
    void legal_forms_do_not_decide_a_match() {
        assertMatches("Anglo Caribbean Company Limited", "173");
        assertMatches("OOO Nevskiy News", "26230");
        assertMatches("Nevskiy News JSC", "26230");
    }

    @Test
    void an_unrelated_name_is_not_a_match() {
        List<ScreeningMatch> ms = index.screen(ScreeningQuery.ofName("Jane Doe"), T, 0.0, 10);
        assertThat(ms).noneMatch(ScreeningMatch::match);
    }

    @Test
    void sharing_one_common_word_is_not_a_match() {
        List<ScreeningMatch> ms = index.screen(ScreeningQuery.ofName("Elena Petrova"), T, 0.0, 10);
        assertThat(ms).noneMatch(ScreeningMatch::match);
        List<ScreeningMatch> bank = index.screen(ScreeningQuery.ofName("Banco Santander"), T, 0.0, 10);
        assertThat(bank).noneMatch(ScreeningMatch::match);
    }

    @Test
    void the_explanation_pairs_query_tokens_with_listed_tokens() {
        ScreeningMatch m = best("Elena Khusyainova Smith");
        MatchExplanation e = m.explanation();
        assertThat(e.listedName()).isEqualTo("KHUSYAYNOVA, Elena Alekseevna");
        assertThat(e.alias()).isFalse();
        assertThat(e.pairs()).extracting(MatchExplanation.TokenPair::query).containsExactly("elena", "husyainova");
        assertThat(e.pairs().get(1).listed()).isEqualTo("husyaynova");
        assertThat(e.pairs().get(1).similarity()).isBetween(0.85, 0.99);
        assertThat(e.unmatchedQuery()).containsExactly("smith");
        assertThat(e.unmatchedListed()).containsExactly("aleksivna");
        assertThat(e.toString())
                .startsWith("name 'KHUSYAYNOVA, Elena Alekseevna': elena~elena 1.00, husyainova~husyaynova 0.9")
                .endsWith("; query only: smith; listed only: aleksivna");
    }

    @Test
    void a_different_kind_country_or_birth_year_lowers_the_score_and_says_so() {
        double plain = best("Elena Khusyaynova").score();
        ScreeningMatch asCompany = best(new ScreeningQuery("Elena Khusyaynova", PartyType.ORGANIZATION, "", ""));
        ScreeningMatch otherYear = best(new ScreeningQuery("Elena Khusyaynova", PartyType.UNKNOWN, "", "1990-01-01"));
        ScreeningMatch sameYear = best(new ScreeningQuery("Elena Khusyaynova", PartyType.PERSON, "", "1974-02-17"));

        assertThat(asCompany.score()).isLessThan(plain);
        assertThat(asCompany.explanation().adjustments()).containsExactly("kind organization vs listed person x0.85");
        assertThat(otherYear.score()).isLessThan(plain);
        assertThat(otherYear.explanation().adjustments())
                .containsExactly("birth year 1990 not among listed [1974] x0.80");
        assertThat(sameYear.score()).isGreaterThanOrEqualTo(plain);
        ScreeningMatch elsewhere = best(new ScreeningQuery("Banco Nacional de Cuba", PartyType.UNKNOWN, "Brazil", ""));
        assertThat(elsewhere.explanation().adjustments())
                .singleElement()
                .asString()
                .startsWith("country BR not among listed");
    }

    @Test
    void results_are_best_first_one_per_party_and_limited() {
        List<ScreeningMatch> ms = index.screen(ScreeningQuery.ofName("Wei Zhao"), T, 0.0, 3);
        assertThat(ms).hasSizeLessThanOrEqualTo(3);
        assertThat(ms.get(0).party().entityId()).isEqualTo("23647");
        assertThat(ms).extracting(ScreeningMatch::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(ms).extracting(m -> m.party().entityId()).doesNotHaveDuplicates();
    }

    @Test
    void the_best_score_agrees_with_the_ranked_results() {
        for (String q : List.of("Elena Khusyaynova", "Jane Doe", "Nevskiy News LLC", "Малькевич Александр")) {
            List<ScreeningMatch> ms = index.screen(ScreeningQuery.ofName(q), T, 0.0, 1);
            assertThat(index.bestScore(ScreeningQuery.ofName(q)))
                    .isEqualTo(ms.isEmpty() ? 0.0 : ms.get(0).score());
        }
    }
}
