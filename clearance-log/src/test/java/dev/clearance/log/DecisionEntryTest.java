package dev.clearance.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.core.Decision;
import dev.clearance.core.License;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import dev.clearance.core.Screening;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionEntryTest {
    static final Instant T = Instant.parse("2026-11-26T12:00:00.250Z");

    static Principal alice() {
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
                Map.of("team", "research", "badge", "b-7"),
                new Screening("clear", List.of(), 0.0),
                null);
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
        String json = DecisionEntry.of("node-a", request("alice", "frontier-2"), alice(), deny())
                .toJson();
        assertThat(json)
                .isEqualTo(
                        "{\"id\":\"dec-1\",\"time\":\"2026-11-26T12:00:00.250Z\",\"node\":\"node-a\",\"principal\":\"alice\","
                                + "\"principal_facts\":{\"kind\":\"person\",\"us_person\":false,\"citizenships\":[\"DE\"],"
                                + "\"lawful_permanent_resident_of\":\"\",\"protected_individual\":false,\"residence_country\":\"US\","
                                + "\"incorporated_in\":\"\",\"organization\":\"acme\",\"identity_assurance\":2,\"licenses\":[\"L-1\"],"
                                + "\"screening\":{\"status\":\"clear\",\"lists\":[]},\"organization_screening\":{\"status\":\"not_screened\",\"lists\":[]},"
                                + "\"attributes\":{\"badge\":\"b-7\",\"team\":\"research\"}},"
                                + "\"request\":{\"model\":\"frontier-2\",\"capabilities\":[\"chat\",\"code\"],\"country\":\"US\",\"ip\":\"203.0.113.9\","
                                + "\"endpoint\":\"/v1/messages\"},"
                                + "\"decision\":\"deny\",\"directives\":[\"dir-7\"],\"shadow\":[\"dir-9\"],\"errors\":[],\"policy_version\":\"pv-abc\"}");
    }

    @Test
    void an_unknown_principal_is_recorded_with_null_facts() {
        String json = DecisionEntry.of("node-a", request("ghost", "m"), (Principal) null, deny())
                .toJson();
        assertThat(json).contains("\"principal\":\"ghost\",\"principal_facts\":null,");
    }

    @Test
    void line_feeds_and_quotes_in_values_are_escaped_so_the_entry_stays_one_line() {
        Decision d = new Decision("x\n\"y\"", Decision.Outcome.ALLOW, List.of(), List.of(), List.of("e\r\n"), "", "pv");
        String json = DecisionEntry.of("n", request("alice", "m"), (Principal) null, d)
                .toJson();
        assertThat(json).doesNotContain("\n").doesNotContain("\r").startsWith("{\"id\":\"x\\n\\\"y\\\"\"");
    }

    @Test
    void an_entry_from_cached_facts_equals_the_entry_from_the_principal() {
        assertThat(DecisionEntry.of(
                                "node-a",
                                request("alice", "frontier-2"),
                                dev.clearance.core.PrincipalFacts.of(alice()),
                                deny())
                        .toJson())
                .isEqualTo(DecisionEntry.of("node-a", request("alice", "frontier-2"), alice(), deny())
                        .toJson());
    }

    @Test
    void the_same_decision_always_has_the_same_bytes() {
        DecisionEntry e = DecisionEntry.of("node-a", request("alice", "frontier-2"), alice(), deny());
        assertThat(e.bytes())
                .isEqualTo(DecisionEntry.of("node-a", request("alice", "frontier-2"), alice(), deny())
                        .bytes());
    }

    @Test
    void a_policy_change_records_what_who_why_and_the_resulting_version() {
        PolicyChangeEntry p = new PolicyChangeEntry(
                PolicyChangeEntry.Change.DIRECTIVE_UPLOADED,
                T,
                "node-a",
                "officer@lab",
                "BIS letter 2026-17",
                List.of("dir-7"),
                "",
                "pv-abc");
        assertThat(p.toJson())
                .isEqualTo(
                        "{\"change\":\"directive_uploaded\",\"time\":\"2026-11-26T12:00:00.250Z\",\"node\":\"node-a\","
                                + "\"by\":\"officer@lab\",\"why\":\"BIS letter 2026-17\",\"directives\":[\"dir-7\"],\"step\":\"\",\"policy_version\":\"pv-abc\"}");
    }
}
