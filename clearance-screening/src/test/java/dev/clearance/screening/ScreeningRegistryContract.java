package dev.clearance.screening;

import static dev.clearance.screening.ListImporterTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.core.Decision;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Policy;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import dev.clearance.core.Screening;
import dev.clearance.store.Change;
import dev.clearance.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The screening registry's behaviour, run against both databases the store supports. */
abstract class ScreeningRegistryContract {
    @TempDir
    Path dir;

    Store store;
    ScreeningRegistry screening;
    final ListImporter importer = new ListImporter(Clock.systemUTC());

    private static final Principal ELENA =
            Principal.builder("elena").name("Elena Khusyaynova").build();
    private static final Principal JANE =
            Principal.builder("jane").name("Jane Doe").organization("nevskiy").build();
    private static final Principal NEVSKIY = Principal.builder("nevskiy")
            .kind(Principal.Kind.ORGANIZATION)
            .name("Nevskiy News Limited Liability Company")
            .build();

    /** A fresh, migrated store. */
    abstract Store newStore(Path dir) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore(dir);
        screening = new ScreeningRegistry(store, Clock.systemUTC());
        for (Principal p : List.of(ELENA, JANE, NEVSKIY)) store.principals().put(p, "test");
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private Principal stored(String id) {
        return screening.attach(store.principals().get(id).orElseThrow().principal());
    }

    @Test
    void before_any_list_is_loaded_nobody_reads_as_clear() {
        assertThat(stored("elena").screening()).isEqualTo(Screening.NOT_SCREENED);
        screening.followChanges();
        assertThat(stored("jane").screening().status()).isEqualTo(Screening.NOT_SCREENED_STATUS);
    }

    @Test
    void activating_a_list_screens_every_principal_and_persons_inherit_their_organisations_status() throws Exception {
        ScreeningRegistry.Activation a = screening.activate(importer.ofacSdn(resource("ofac")), "ann");

        assertThat(a.unchanged()).isFalse();
        assertThat(a.rescreened()).isEqualTo(3);
        Principal elena = stored("elena");
        assertThat(elena.screening().status()).isEqualTo(Screening.POTENTIAL_MATCH);
        assertThat(elena.screening().lists()).containsExactly("SDN");
        assertThat(elena.screening().score()).isGreaterThan(0.85);
        Principal jane = stored("jane");
        assertThat(jane.screening().status()).isEqualTo(Screening.CLEAR);
        assertThat(jane.organizationScreening().status()).isEqualTo(Screening.POTENTIAL_MATCH);
        assertThat(stored("nevskiy").screening().lists()).containsExactly("SDN");
        assertThat(screening.activeLists()).singleElement().satisfies(l -> {
            assertThat(l.source()).isEqualTo(ListSource.OFAC_SDN);
            assertThat(l.importedBy()).isEqualTo("ann");
            assertThat(l.contentHash()).startsWith("sha256:");
            assertThat(l.parties()).isEqualTo(11);
        });
        assertThat(store.changes().since(0, 100))
                .extracting(Change::kind)
                .contains(ScreeningRegistry.LIST_ACTIVATED, ScreeningRegistry.RESCREENED);
    }

    @Test
    void importing_the_same_content_again_changes_nothing() throws Exception {
        screening.activate(importer.ofacSdn(resource("ofac")), "ann");
        long seq = store.changes().lastSequence();

        ScreeningRegistry.Activation again = screening.activate(importer.ofacSdn(resource("ofac")), "ann");

        assertThat(again.unchanged()).isTrue();
        assertThat(store.changes().lastSequence()).isEqualTo(seq);
    }

    @Test
    void a_new_list_version_replaces_the_previous_one_of_its_source_and_rescreens() throws Exception {
        screening.activate(importer.ofacSdn(resource("ofac")), "ann");
        Path v2 = withoutEntry("26233");

        screening.activate(importer.ofacSdn(v2), "ann");

        assertThat(screening.activeLists()).hasSize(1);
        assertThat(stored("elena").screening().status()).isEqualTo(Screening.CLEAR);
    }

    @Test
    void principals_put_or_changed_afterwards_are_screened_when_the_feed_is_followed() throws Exception {
        screening.activate(importer.ofacSdn(resource("ofac")), "ann");
        screening.followChanges();
        store.principals()
                .put(Principal.builder("jane").name("Alexander Malkevich").build(), "test");
        store.principals().put(Principal.builder("sam").name("Sam Okafor").build(), "test");

        // Until the feed is followed, a changed principal is not read with its old result.
        assertThat(stored("jane").screening()).isEqualTo(Screening.NOT_SCREENED);
        assertThat(screening.followChanges()).isEqualTo(2);

        assertThat(stored("jane").screening().status()).isEqualTo(Screening.POTENTIAL_MATCH);
        assertThat(stored("sam").screening().status()).isEqualTo(Screening.CLEAR);
        store.principals().delete("sam", "test");
        screening.followChanges();
        assertThat(screening.result("sam")).isEmpty();
    }

    @Test
    void a_false_positive_clears_the_match_on_the_record_and_holds_across_rescreens() throws Exception {
        screening.activate(importer.ofacSdn(resource("ofac")), "ann");
        assertThat(screening.pending(10))
                .extracting(ScreeningRegistry.PendingMatch::principalId)
                .contains("elena");

        Review r = screening.review(
                "elena",
                "SDN",
                "26233",
                ReviewVerdict.FALSE_POSITIVE,
                "Different person: born 1990 in Lisbon, passport seen",
                "rev");

        assertThat(r.reviewer()).isEqualTo("rev");
        assertThat(stored("elena").screening().status()).isEqualTo(Screening.CLEAR);
        assertThat(stored("elena").screening().score()).isLessThan(0.85);
        assertThat(screening.pending(10))
                .extracting(ScreeningRegistry.PendingMatch::principalId)
                .doesNotContain("elena");
        assertThat(screening.result("elena").orElseThrow().matches().get(0).state())
                .isEqualTo(PrincipalScreening.State.FALSE_POSITIVE);
        screening.rescreenAll();
        assertThat(stored("elena").screening().status()).isEqualTo(Screening.CLEAR);
        assertThat(screening.reviewsOf("elena"))
                .singleElement()
                .extracting(Review::reason)
                .isEqualTo("Different person: born 1990 in Lisbon, passport seen");
    }

    @Test
    void a_review_no_longer_holds_once_the_principals_name_changes() throws Exception {
        screening.activate(importer.ofacSdn(resource("ofac")), "ann");
        screening.followChanges();
        screening.review("elena", "SDN", "26233", ReviewVerdict.FALSE_POSITIVE, "not her", "rev");

        store.principals()
                .put(Principal.builder("elena").name("Elena A. Khusyaynova").build(), "test");
        screening.followChanges();

        assertThat(stored("elena").screening().status()).isEqualTo(Screening.POTENTIAL_MATCH);
    }

    @Test
    void a_review_no_longer_holds_once_the_listed_entry_changes() throws Exception {
        screening.activate(importer.ofacSdn(resource("ofac")), "ann");
        screening.review("elena", "SDN", "26233", ReviewVerdict.FALSE_POSITIVE, "not her", "rev");

        screening.activate(importer.ofacSdn(withAlias("26233", "KHUSYAYNOVA, Yelena")), "ann");

        assertThat(stored("elena").screening().status()).isEqualTo(Screening.POTENTIAL_MATCH);
    }

    @Test
    void reviews_cannot_be_rewritten_or_deleted_in_the_database() throws Exception {
        screening.activate(importer.ofacSdn(resource("ofac")), "ann");
        screening.review("elena", "SDN", "26233", ReviewVerdict.FALSE_POSITIVE, "not her", "rev");

        for (String sql : List.of("UPDATE screening_reviews SET reason = 'edited'", "DELETE FROM screening_reviews")) {
            assertThatThrownBy(() -> store.database().write(c -> {
                        try (var st = c.createStatement()) {
                            return st.executeUpdate(sql);
                        }
                    }))
                    .as(sql)
                    .hasMessageContaining("append-only");
        }
        assertThat(screening.reviewsOf("elena"))
                .singleElement()
                .extracting(Review::reason)
                .isEqualTo("not her");
    }

    @Test
    void a_confirmed_review_makes_a_confirmed_match_that_members_of_the_organisation_see() throws Exception {
        screening.activate(importer.ofacSdn(resource("ofac")), "ann");

        screening.review("nevskiy", "SDN", "26230", ReviewVerdict.CONFIRMED, "Same registration number", "rev");

        assertThat(stored("nevskiy").screening().status()).isEqualTo(Screening.CONFIRMED_MATCH);
        assertThat(stored("jane").organizationScreening().status()).isEqualTo(Screening.CONFIRMED_MATCH);
    }

    @Test
    void a_review_needs_a_reason_and_an_existing_match() throws Exception {
        screening.activate(importer.ofacSdn(resource("ofac")), "ann");

        assertThatThrownBy(() -> screening.review("elena", "SDN", "26233", ReviewVerdict.FALSE_POSITIVE, " ", "rev"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("review of principal 'elena': field 'reason' is blank; a review needs a reason");
        assertThatThrownBy(() -> screening.review("elena", "SDN", "26233", ReviewVerdict.FALSE_POSITIVE, "x", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'reviewer' is missing");
        assertThatThrownBy(() -> screening.review("jane", "SDN", "26233", ReviewVerdict.FALSE_POSITIVE, "x", "rev"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("principal 'jane' has no match with SDN entry 26233");
        assertThat(screening.reviewsOf("elena")).isEmpty();
    }

    @Test
    void a_directive_can_deny_listed_parties_and_their_organisations() throws Exception {
        screening.activate(importer.ofacSdn(resource("ofac")), "ann");
        Policy policy = Policy.compile(DirectiveParser.parse("screening.yaml", """
                id: restricted-parties
                title: No access for listed or potentially listed parties
                authority: "15 CFR 744; 31 CFR 501"
                effective_from: 2024-01-01T00:00:00Z
                scope:
                  models: ["*"]
                applies_to: >-
                  principal.screening.status in ['potential_match', 'confirmed_match']
                  || principal.organization_screening.status == 'confirmed_match'
                  || principal.screening.status == 'not_screened'
                effect: deny
                message: Access is under restricted-party review.
                """));
        java.util.function.Function<String, Decision.Outcome> decide = id -> DecisionPoint.decide(
                        policy,
                        stored(id),
                        new Request(
                                "r1",
                                id,
                                "frontier-x-1",
                                List.of(),
                                Instant.parse("2026-11-27T00:00:00Z"),
                                "US",
                                "",
                                ""))
                .outcome();

        assertThat(decide.apply("elena")).isEqualTo(Decision.Outcome.DENY);
        assertThat(decide.apply("jane")).isEqualTo(Decision.Outcome.ALLOW);
        screening.review("nevskiy", "SDN", "26230", ReviewVerdict.CONFIRMED, "Same registration number", "rev");
        assertThat(decide.apply("jane")).isEqualTo(Decision.Outcome.DENY);
        screening.review("elena", "SDN", "26233", ReviewVerdict.FALSE_POSITIVE, "not her", "rev");
        assertThat(decide.apply("elena")).isEqualTo(Decision.Outcome.ALLOW);
    }

    private Path copyOfac(String name) throws Exception {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        for (String f : List.of("sdn.csv", "alt.csv", "add.csv")) Files.copy(resource("ofac/" + f), d.resolve(f));
        return d;
    }

    private Path withoutEntry(String entNum) throws Exception {
        Path d = copyOfac("without-" + entNum);
        for (String f : List.of("sdn.csv", "alt.csv", "add.csv")) {
            List<String> kept = Files.readAllLines(d.resolve(f)).stream()
                    .filter(l -> !l.startsWith(entNum + ","))
                    .toList();
            Files.write(d.resolve(f), kept);
        }
        return d;
    }

    private Path withAlias(String entNum, String alias) throws Exception {
        Path d = copyOfac("alias-" + entNum);
        Files.writeString(
                d.resolve("alt.csv"),
                entNum + ",99999,\"aka\",\"" + alias + "\",-0- \n",
                java.nio.file.StandardOpenOption.APPEND);
        return d;
    }
}
