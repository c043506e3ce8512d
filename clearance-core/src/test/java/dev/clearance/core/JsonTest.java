package dev.clearance.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
    static final String FULL = """
            {"id": "farah", "kind": "person", "name": "Farah R", "citizenships": ["IN"], \
            "lawful_permanent_resident_of": "", "protected_individual": false, "residence_country": "US", \
            "organization": "acme", "identity_assurance": 3, \
            "licenses": [{"id": "D1", "type": "deemed-export-license", "models": ["frontier-x*"], \
            "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2027-01-01T00:00:00Z"}], \
            "attributes": {"employee": "true"}}""";

    @Test
    void a_principal_is_read_and_written_back_canonically() throws PolicyException {
        Principal p = Json.principal(FULL);
        assertThat(p.licenses()).singleElement().satisfies(l -> {
            assertThat(l.type()).isEqualTo("deemed-export-license");
            assertThat(l.validUntil()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        });
        assertThat(p.attributes()).containsEntry("employee", "true");
        assertThat(Json.principal(Json.writePrincipal(p))).isEqualTo(p);
    }

    @Test
    void unknown_fields_and_wrong_types_are_rejected_naming_the_field() {
        assertThatThrownBy(() -> Json.principal("{\"id\": \"a\", \"citizenship\": [\"US\"]}", "p.jsonl", 7))
                .hasMessageContaining("p.jsonl:7: field 'citizenship': unknown field");
        assertThatThrownBy(() -> Json.principal("{\"id\": \"a\", \"identity_assurance\": 4}", "p.jsonl", 2))
                .hasMessageContaining("field 'identity_assurance': expected an integer from 0 to 3");
        assertThatThrownBy(() -> Json.principal("{\"id\": \"a\", \"citizenships\": [\"usa\"]}", "p.jsonl", 2))
                .hasMessageContaining("'usa' is not an ISO 3166 alpha-2 code");
        assertThatThrownBy(() -> Json.principal("{\"id\": \"a\", \"kind\": \"robot\"}", "p.jsonl", 2))
                .hasMessageContaining("field 'kind'");
        assertThatThrownBy(() -> Json.principal("{\"name\": \"no id\"}", "p.jsonl", 3))
                .hasMessageContaining("p.jsonl:3: field 'id': required");
        assertThatThrownBy(() -> Json.principal(
                        "{\"id\": \"a\", \"licenses\": [{\"id\": \"L\", \"type\": \"t\", "
                                + "\"valid_from\": \"2027-01-01T00:00:00Z\", \"valid_until\": \"2026-01-01T00:00:00Z\"}]}",
                        "p.jsonl",
                        4))
                .hasMessageContaining("field 'licenses[0].valid_until': must be after valid_from");
        assertThatThrownBy(() -> Json.principal("{\"id\": \"a\",", "p.jsonl", 5))
                .hasMessageContaining("p.jsonl:5")
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void a_second_object_on_the_line_is_an_error_not_silently_dropped() {
        assertThatThrownBy(() -> Json.principal("{\"id\": \"a\"} {\"id\": \"b\"}", "p.jsonl", 9))
                .hasMessageContaining("p.jsonl:9")
                .hasMessageContaining("content after the principal object");
        assertThatThrownBy(() ->
                        Json.request("{\"principal\": \"a\", \"model\": \"m\"} x", "r.jsonl", 4, () -> Instant.EPOCH))
                .hasMessageContaining("r.jsonl:4")
                .hasMessageContaining("malformed JSON");
    }

    @Test
    void a_key_given_twice_is_an_error_naming_it() {
        assertThatThrownBy(() -> Json.principal(
                        "{\"id\": \"a\", \"citizenships\": [\"US\"], \"citizenships\": [\"CN\"]}", "p.jsonl", 3))
                .hasMessageContaining("p.jsonl:3")
                .hasMessageContaining("malformed JSON: Duplicate field 'citizenships'");
        assertThatThrownBy(() -> Json.request(
                        "{\"principal\": \"a\", \"model\": \"open-small\", \"model\": \"frontier-x\"}",
                        "r.jsonl",
                        2,
                        () -> Instant.EPOCH))
                .hasMessageContaining("r.jsonl:2")
                .hasMessageContaining("Duplicate field 'model'");
    }

    @Test
    void a_request_without_optional_fields_is_read_with_defaults() throws PolicyException {
        Instant now = Instant.parse("2026-11-26T00:00:00Z");
        Request r = Json.request("{\"id\": \"r1\", \"principal\": \"a\", \"model\": \"m\"}", "r.jsonl", 1, () -> now);
        assertThat(r.time()).isEqualTo(now);
        assertThat(r.capabilities()).isEmpty();
        assertThat(r.country()).isEmpty();
        assertThatThrownBy(() -> Json.request("{\"principal\": \"a\"}", "r.jsonl", 17, () -> now))
                .hasMessageContaining("r.jsonl:17: field 'model': required");
    }

    @Test
    void a_decision_is_written_with_its_fields_in_the_documented_order() {
        Decision d = new Decision(
                "r1", Decision.Outcome.DENY, List.of("a"), List.of("s"), List.of(), "no \"quotes\"", "sha256:x");
        assertThat(Json.decision(d))
                .isEqualTo("{\"id\":\"r1\",\"decision\":\"deny\",\"directives\":[\"a\"],\"shadow\":[\"s\"],"
                        + "\"errors\":[],\"message\":\"no \\\"quotes\\\"\",\"policy_version\":\"sha256:x\"}");
    }
}
