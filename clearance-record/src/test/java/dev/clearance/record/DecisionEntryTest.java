package dev.clearance.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.clearance.core.ContentClassification;
import dev.clearance.core.Decision;
import dev.clearance.core.License;
import dev.clearance.core.Principal;
import dev.clearance.core.PrincipalFacts;
import dev.clearance.core.Request;
import dev.clearance.core.Screening;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionEntryTest {
    static final Instant T = Instant.parse("2026-11-26T12:00:00.250Z");

    /** The canonical line of {@code entry(alice(...), deny())}, field by field as docs/audit-log.md documents it. */
    static final String ALICE_DENIED =
            "{\"id\":\"dec-1\",\"time\":\"2026-11-26T12:00:00.250Z\",\"node\":\"node-a\",\"principal\":\"alice\","
                    + "\"principal_facts\":{\"kind\":\"person\",\"us_person\":false,\"citizenships\":[\"DE\"],"
                    + "\"lawful_permanent_resident_of\":\"\",\"protected_individual\":false,\"residence_country\":\"US\","
                    + "\"incorporated_in\":\"\",\"organization\":\"acme\",\"identity_assurance\":2,\"licenses\":[\"L-1\"],"
                    + "\"screening\":{\"status\":\"clear\",\"lists\":[]},\"organization_screening\":{\"status\":\"not_screened\",\"lists\":[]},"
                    + "\"attributes\":{\"badge\":\"b-7\",\"team\":\"research\"}},"
                    + "\"request\":{\"model\":\"frontier-2\",\"capabilities\":[\"chat\",\"code\"],\"country\":\"US\",\"ip\":\"203.0.113.9\","
                    + "\"endpoint\":\"/v1/messages\"},"
                    + "\"decision\":\"deny\",\"directives\":[\"dir-7\"],\"shadow\":[\"dir-9\"],\"errors\":[],\"policy_version\":\"pv-abc\"}";

    static Principal alice(Map<String, String> attributes) {
        return new Principal(
                "alice",
                Principal.Kind.PERSON,
                "Alice",
                List.of("DE"),
                "",
                false,
                "US",
                "",
                "acme",
                2,
                List.of(new License("L-1", "export", List.of("frontier-*"), T.minusSeconds(3600), T.plusSeconds(3600))),
                attributes,
                new Screening("clear", List.of(), 0.0),
                null);
    }

    static Principal alice() {
        return alice(Map.of("team", "research", "badge", "b-7"));
    }

    static Request request(String principal, String model) {
        return new Request("r-1", principal, model, List.of("chat", "code"), T, "US", "203.0.113.9", "/v1/messages");
    }

    static Decision deny() {
        return new Decision(
                "dec-1", Decision.Outcome.DENY, List.of("dir-7"), List.of("dir-9"), List.of(), "blocked", "pv-abc");
    }

    @Test
    void a_decision_entry_is_one_line_with_the_fields_in_the_documented_order() {
        assertThat(DecisionEntry.of("node-a", request("alice", "frontier-2"), alice(), deny())
                        .toJson())
                .isEqualTo(ALICE_DENIED);
    }

    static ContentClassification cyberFound() {
        return new ContentClassification(
                "clearance-classify/all-minilm-l6-v2-q+logistic-regression",
                "97206add4d1b891b",
                ContentClassification.Read.REQUEST,
                List.of(new ContentClassification.Finding(
                        "offensive-cyber", 0.987654, 0.41237, "messages[2].content", "user", 0, 312)),
                List.of(),
                List.of(new ContentClassification.Skipped("messages[1].content[1]", "user", "image_url")),
                Map.of("offensive-cyber", 0.987654, "cbrn", 0.01),
                true,
                List.of());
    }

    @Test
    void a_classified_decision_records_what_was_found_after_the_policy_version() {
        String json = DecisionEntry.of("node-a", request("alice", "frontier-2"), alice(), deny(), cyberFound())
                .toJson();
        assertThat(json)
                .isEqualTo(ALICE_DENIED.substring(0, ALICE_DENIED.length() - 1)
                        + ",\"classification\":{\"classifier\":\"clearance-classify/all-minilm-l6-v2-q+logistic-regression\","
                        + "\"version\":\"97206add4d1b891b\",\"read\":\"request\",\"found\":[{\"capability\":\"offensive-cyber\","
                        + "\"score\":0.9877,\"threshold\":0.4124,\"part\":\"messages[2].content\",\"role\":\"user\",\"start\":0,"
                        + "\"end\":312}],\"assumed\":[],\"skipped\":[\"messages[1].content[1] image_url\"],\"complete\":true,"
                        + "\"errors\":[]}}");
    }

    @Test
    void an_entry_without_a_classification_keeps_the_bytes_it_had_before_the_field_existed() {
        assertThat(new DecisionEntry("node-a", request("alice", "frontier-2"), alice(), deny(), null).toJson())
                .isEqualTo(ALICE_DENIED);
    }

    @Test
    void a_request_with_thousands_of_skipped_parts_still_fits_the_log_with_the_list_shortened() {
        List<ContentClassification.Skipped> many = new java.util.ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            many.add(new ContentClassification.Skipped("messages[0].content[" + i + "]", "user", "image_url"));
        }
        ContentClassification c = new ContentClassification(
                "c",
                "v",
                ContentClassification.Read.REQUEST,
                List.of(),
                List.of("offensive-cyber"),
                many,
                Map.of(),
                true,
                List.of("classifier timed out"));
        String json = DecisionEntry.of("node-a", request("alice", "frontier-2"), alice(), deny(), c)
                .toJson();
        assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(LogEntry.MAX_BYTES);
        assertThat(json)
                .contains("\"truncated\":[\"classification.skipped\"]")
                .contains("\"assumed\":[\"offensive-cyber\"]");
    }

    @Test
    void the_bytes_are_the_utf8_of_the_line_with_non_ascii_left_unescaped() {
        Request r = new Request("r-1", "jürgen", "m", List.of(), T, "", "", "");
        Decision d = new Decision("dec-2", Decision.Outcome.ALLOW, List.of(), List.of(), List.of(), "", "pv");
        byte[] bytes = DecisionEntry.of("n", r, (Principal) null, d).bytes();
        String expected =
                "{\"id\":\"dec-2\",\"time\":\"2026-11-26T12:00:00.250Z\",\"node\":\"n\",\"principal\":\"jürgen\","
                        + "\"principal_facts\":null,\"request\":{\"model\":\"m\",\"capabilities\":[],\"country\":\"\",\"ip\":\"\","
                        + "\"endpoint\":\"\"},\"decision\":\"allow\",\"directives\":[],\"shadow\":[],\"errors\":[],\"policy_version\":\"pv\"}";
        assertThat(bytes).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        // 'ü' is the two bytes C3 BC, not a \\u00fc escape
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("j\u00c3\u00bcrgen");
    }

    @Test
    void attributes_are_written_in_key_order_whatever_order_the_principal_holds_them_in() {
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("team", "research");
        reversed.put("badge", "b-7");
        assertThat(DecisionEntry.of("node-a", request("alice", "frontier-2"), alice(reversed), deny())
                        .toJson())
                .isEqualTo(ALICE_DENIED);
    }

    @Test
    void an_unknown_principal_is_recorded_with_null_facts() {
        String json = DecisionEntry.of("node-a", request("ghost", "m"), (Principal) null, deny())
                .toJson();
        assertThat(json)
                .isEqualTo(
                        "{\"id\":\"dec-1\",\"time\":\"2026-11-26T12:00:00.250Z\",\"node\":\"node-a\",\"principal\":\"ghost\","
                                + "\"principal_facts\":null,\"request\":{\"model\":\"m\",\"capabilities\":[\"chat\",\"code\"],"
                                + "\"country\":\"US\",\"ip\":\"203.0.113.9\",\"endpoint\":\"/v1/messages\"},\"decision\":\"deny\","
                                + "\"directives\":[\"dir-7\"],\"shadow\":[\"dir-9\"],\"errors\":[],\"policy_version\":\"pv-abc\"}");
    }

    @Test
    void line_feeds_and_quotes_in_values_are_escaped_so_the_entry_stays_one_line() {
        Decision d = new Decision("x\n\"y\"", Decision.Outcome.ALLOW, List.of(), List.of(), List.of("e\r\n"), "", "pv");
        String json = DecisionEntry.of("n", request("alice", "m"), (Principal) null, d)
                .toJson();
        assertThat(json)
                .doesNotContain("\n")
                .doesNotContain("\r")
                .startsWith("{\"id\":\"x\\n\\\"y\\\"\",")
                .contains("\"errors\":[\"e\\r\\n\"]");
    }

    @Test
    void an_entry_from_cached_facts_records_the_principal_the_facts_were_made_from() {
        assertThat(DecisionEntry.of("node-a", request("alice", "frontier-2"), PrincipalFacts.of(alice()), deny())
                        .toJson())
                .isEqualTo(ALICE_DENIED);
        assertThat(DecisionEntry.of("node-a", request("ghost", "m"), (PrincipalFacts) null, deny())
                        .principal())
                .isNull();
    }

    @Test
    void the_request_of_a_decision_entry_reads_back_from_its_bytes() {
        Request r = request("alice", "frontier-2");
        byte[] bytes = DecisionEntry.of("node-a", r, alice(), deny()).bytes();
        assertThat(DecisionEntry.readRequest(bytes)).contains(r.withId("dec-1"));
    }

    @Test
    void policy_changes_and_screening_reviews_old_and_new_have_no_request() {
        byte[] change = PolicyChangeEntryTest.uploaded().bytes();
        byte[] review = ScreeningReviewEntryTest.confirmed().bytes();
        byte[] oldReview = PolicyChangeEntryTest.EARLIER_SCREENING_REVIEW.getBytes(StandardCharsets.UTF_8);
        assertThat(DecisionEntry.readRequest(change)).isEmpty();
        assertThat(DecisionEntry.readRequest(review)).isEmpty();
        assertThat(DecisionEntry.readRequest(oldReview)).isEmpty();
    }

    @Test
    void bytes_that_are_no_entry_of_the_record_are_refused_when_read_back() {
        assertThatThrownBy(() -> DecisionEntry.readRequest("{\"n\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither a decision");
        assertThatThrownBy(() -> DecisionEntry.readRequest("{\"id\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void every_entry_carries_the_facts_of_its_own_principal_when_thousands_share_the_written_facts() {
        // More principals than the written facts have slots, twice over, each with facts of its own:
        // a slot taken by another principal, or an equal principal that is another instance, is never read as this
        // one's.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3000; i++) {
                Principal p = alice(Map.of("badge", "b-" + i));
                String json = DecisionEntry.of("node-a", request("alice", "frontier-2"), p, deny())
                        .toJson();
                assertThat(json).contains("\"attributes\":{\"badge\":\"b-" + i + "\"}}");
            }
        }
        assertThat(DecisionEntry.of("node-a", request("alice", "frontier-2"), alice(), deny())
                        .toJson())
                .isEqualTo(ALICE_DENIED);
    }
}
