package dev.clearance.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The expectations below were worked out by hand from the fixture files (see the comments), not by
 * running the decision point: baseline = ofac-locations (IR, KP); draft = the same plus
 * dir-frontier-us-only (frontier-* for U.S. persons, deemed-export licenses exempt) and shadow-cn.
 */
class SimulationTest {
    static final Instant AT = Instant.parse("2026-11-26T12:00:00Z");
    static Policy baseline;
    static Policy draft;
    static List<Principal> principals;

    @BeforeAll
    static void load() throws Exception {
        baseline = Fixtures.policy("baseline");
        draft = Fixtures.policy("draft");
        principals = Fixtures.principals();
    }

    static ImpactReport run(int workers) throws Exception {
        return Simulation.of(baseline, draft)
                .at(AT)
                .workers(workers)
                .run(principals, new Traffic.JsonLinesFile(Fixtures.requests()));
    }

    @ParameterizedTest(name = "with {0} worker(s)")
    @ValueSource(ints = {1, 2, 3})
    void every_request_is_counted_under_both_policies_as_worked_out_by_hand(int workers) throws Exception {
        ImpactReport.Traffic t = run(workers).requests();
        // q2 cn1/frontier-a, q5 in1/frontier-b (license covers frontier-a only), q7 de1, q9 globex (DE-incorporated).
        // Denied under both: q3 (IR), q8 (unknown principal), q10 (KP). Nothing is newly allowed.
        assertThat(t.totals()).isEqualTo(new ImpactReport.Counts(10, 3, 7, 4, 0));
        assertThat(t.totals().unchanged()).isEqualTo(6);
        assertThat(t.unknownPrincipals()).isEqualTo(1);
        assertThat(t.byModel())
                .containsOnly(
                        entry("frontier-a", new ImpactReport.Counts(4, 0, 2, 2, 0)), // q1 q2 q4 q9
                        entry("frontier-b", new ImpactReport.Counts(4, 2, 4, 2, 0)), // q3 q5 q7 q10
                        entry("open-1", new ImpactReport.Counts(2, 1, 1, 0, 0))); // q6 q8
        assertThat(t.byCountry())
                .containsOnly(
                        entry("US", new ImpactReport.Counts(4, 1, 2, 1, 0)), // q1 q2 q4 q8
                        entry("IR", new ImpactReport.Counts(1, 1, 1, 0, 0)),
                        entry("IN", new ImpactReport.Counts(1, 0, 1, 1, 0)),
                        entry("DE", new ImpactReport.Counts(2, 0, 1, 1, 0)), // q6 q9
                        entry("unknown", new ImpactReport.Counts(1, 0, 1, 1, 0)), // q7 has no country
                        entry("KP", new ImpactReport.Counts(1, 1, 1, 0, 0)));
        // The frontier directive also hits q3 (cn1 is no U.S. person), which the location already denied.
        assertThat(t.byDirective())
                .containsOnly(
                        entry("dir-frontier-us-only", new ImpactReport.DirectiveTraffic(4, 5, 0)),
                        entry("ofac-locations", new ImpactReport.DirectiveTraffic(0, 2, 0)),
                        entry("shadow-cn", new ImpactReport.DirectiveTraffic(0, 0, 2))); // q2, q3
    }

    @Test
    void traffic_is_bucketed_by_the_hour_of_its_own_time_whatever_the_offset() throws Exception {
        List<ImpactReport.TimeBucket> b = run(2).requests().overTime();
        assertThat(b)
                .extracting(ImpactReport.TimeBucket::start)
                .containsExactly(
                        Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T11:00:00Z"),
                        Instant.parse("2026-11-25T12:00:00Z"), Instant.parse("2026-11-25T13:00:00Z"));
        assertThat(b)
                .extracting(ImpactReport.TimeBucket::counts)
                .containsExactly(
                        new ImpactReport.Counts(2, 0, 1, 1, 0), // q1 q2
                        new ImpactReport.Counts(2, 1, 1, 0, 0), // q3 q4
                        new ImpactReport.Counts(3, 0, 2, 2, 0), // q5 q6 q7
                        new ImpactReport.Counts(3, 2, 3, 1, 0)); // q8 q9 q10 (15:30+02:00)
    }

    @ParameterizedTest(name = "with {0} worker(s)")
    @ValueSource(ints = {1, 2, 4})
    void the_population_pass_finds_who_loses_which_model(int workers) throws Exception {
        ImpactReport r = run(workers);
        // Models: no literal scope entry; the traffic's frontier-a, frontier-b and open-1 match the globs.
        assertThat(r.models()).containsExactly("frontier-a", "frontier-b", "open-1");
        ImpactReport.Population p = r.principals();
        // Losing: cn1 (a, b), in1 (b), de1 (a, b), globex (a, b). us1 and lpr1 (green card) keep access.
        assertThat(p.total()).isEqualTo(6);
        assertThat(p.losingAccess()).isEqualTo(4);
        assertThat(p.gainingAccess()).isZero();
        assertThat(p.employees()).isEqualTo(2); // cn1, in1; de1's attribute is "false"
        assertThat(p.byKind()).containsOnly(entry("person", 3L), entry("organization", 1L));
        assertThat(p.byCitizenship())
                .containsOnly(entry("CN", 1L), entry("IN", 1L), entry("DE", 1L), entry("none recorded", 1L));
        assertThat(p.byOrganization()).containsOnly(entry("acme", 2L), entry("none", 1L), entry("globex", 1L));
        assertThat(p.byDirective()).containsOnly(entry("dir-frontier-us-only", 4L));
        assertThat(p.byModel())
                .containsOnly(
                        entry("frontier-a", new ImpactReport.ModelAccess(6, 3, 3, 0)),
                        entry("frontier-b", new ImpactReport.ModelAccess(6, 2, 4, 0)),
                        entry("open-1", new ImpactReport.ModelAccess(6, 6, 0, 0)));
        assertThat(p.examples()).extracting(ImpactReport.Example::id).containsExactly("cn1", "in1", "de1", "globex");
        ImpactReport.Example in1 = p.examples().get(1);
        assertThat(in1.name()).isEqualTo("Isha Rao");
        assertThat(in1.organization()).isEqualTo("acme");
        assertThat(in1.citizenships()).containsExactly("IN");
        assertThat(in1.employee()).isTrue();
        assertThat(in1.models()).containsExactly("frontier-b");
        assertThat(in1.directives()).containsExactly("dir-frontier-us-only");
    }

    @Test
    void restoring_access_shows_as_gains_when_baseline_and_draft_are_swapped() throws Exception {
        ImpactReport r =
                Simulation.of(draft, baseline).at(AT).run(principals, new Traffic.JsonLinesFile(Fixtures.requests()));
        assertThat(r.requests().totals()).isEqualTo(new ImpactReport.Counts(10, 7, 3, 0, 4));
        assertThat(r.principals().losingAccess()).isZero();
        assertThat(r.principals().gainingAccess()).isEqualTo(4);
        assertThat(r.principals().gaining())
                .extracting(ImpactReport.Example::id)
                .containsExactly("cn1", "in1", "de1", "globex");
        assertThat(r.principals().gaining().get(1).models()).containsExactly("frontier-b");
        assertThat(r.principals().gaining().get(1).directives()).containsExactly("dir-frontier-us-only");
    }

    @Test
    void the_principals_still_without_access_under_the_draft_are_named_up_to_the_limit() throws Exception {
        ImpactReport all = run(2);
        assertThat(all.principals().withoutAccess()).isEqualTo(4);
        assertThat(all.principals().withoutAccessExamples())
                .extracting(ImpactReport.Example::id)
                .containsExactly("cn1", "in1", "de1", "globex");

        ImpactReport two = Simulation.of(baseline, draft)
                .at(AT)
                .names(2)
                .run(principals, new Traffic.JsonLinesFile(Fixtures.requests()));
        assertThat(two.principals().withoutAccess()).isEqualTo(4);
        assertThat(two.principals().withoutAccessExamples())
                .extracting(ImpactReport.Example::id)
                .containsExactly("cn1", "in1");
        assertThat(two.principals().examples()).hasSize(2);
        assertThat(two.principals().byDirective()).containsOnly(entry("dir-frontier-us-only", 4L));
        assertThat(ReportText.write(two))
                .contains("losing access, by name (first 2 of 4; --limit N for more):")
                .contains("without access under the draft (4 of 6), by name (first 2 of 4; --limit N for more):")
                .contains("organisations: acme");
    }

    @Test
    void the_report_names_the_directives_of_both_policies() throws Exception {
        ImpactReport r = run(1);
        assertThat(r.baselineDirectives())
                .extracting(ImpactReport.PolicyDirective::id)
                .isNotEmpty()
                .doesNotContain("dir-frontier-us-only");
        assertThat(r.draftDirectives())
                .extracting(ImpactReport.PolicyDirective::id)
                .contains("dir-frontier-us-only");
    }

    @Test
    void before_the_directive_takes_effect_nobody_loses_access() throws Exception {
        ImpactReport r = Simulation.of(baseline, draft)
                .at(Instant.parse("2026-11-24T13:59:59Z"))
                .run(principals, new Traffic.None());
        assertThat(r.principals().losingAccess()).isZero();
        assertThat(r.models()).isEmpty(); // no literal model, no traffic: nothing to evaluate against
    }

    @Test
    void the_population_is_evaluated_against_the_models_given() throws Exception {
        ImpactReport r = Simulation.of(baseline, draft)
                .at(AT)
                .models(List.of("frontier-z"))
                .run(principals, new Traffic.None());
        assertThat(r.models()).containsExactly("frontier-z");
        assertThat(r.principals().byModel().get("frontier-z")).isEqualTo(new ImpactReport.ModelAccess(6, 2, 4, 0));
    }

    @Test
    void default_models_are_literal_scope_entries_and_traffic_models_the_globs_match() throws Exception {
        Policy literal = Policy.compile(dev.clearance.core.DirectiveParser.parse("x.yaml", """
                id: x
                title: x
                effective_from: 2026-01-01T00:00:00Z
                scope:
                  models: ["model-lit", "frontier-*"]
                applies_to: "true"
                """));
        assertThat(Simulation.defaultModels(Policy.empty(), literal, Set.of("frontier-q", "other", "model-lit")))
                .containsExactly("frontier-q", "model-lit");
    }

    @Test
    void streamed_file_and_in_memory_traffic_give_the_same_report_across_many_chunks(@TempDir Path tmp)
            throws Exception {
        // 60,000 lines (> one 512 KiB chunk) of the fixture requests, repeated.
        List<String> lines = Files.readAllLines(Fixtures.requests()).stream()
                .filter(s -> !s.isBlank())
                .toList();
        StringBuilder big = new StringBuilder();
        List<Request> inMemory = new ArrayList<>();
        int line = 0;
        for (int k = 0; k < 6_000; k++) {
            for (String s : lines) {
                big.append(s).append(k % 2 == 0 ? "\n" : "\r\n");
                line++;
                Request r = Json.request(s, "x", line, Instant::now);
                inMemory.add(r.id().isEmpty() ? r.withId("x:" + line) : r);
            }
        }
        Path file = Fixtures.write(tmp, "big.jsonl", big.toString());
        ImpactReport streamed = Simulation.of(baseline, draft).at(AT).run(principals, new Traffic.JsonLinesFile(file));
        ImpactReport memory = Simulation.of(baseline, draft).at(AT).run(principals, new Traffic.Requests(inMemory));
        assertThat(streamed.requests().totals()).isEqualTo(new ImpactReport.Counts(60_000, 18_000, 42_000, 24_000, 0));
        assertThat(streamed.requests()).isEqualTo(memory.requests());
        ImpactReport iterated = Simulation.of(baseline, draft).at(AT).run(principals, new Traffic.Iterated(inMemory));
        assertThat(iterated.requests()).isEqualTo(memory.requests());
    }

    @Test
    void a_failing_request_source_fails_the_run() {
        Iterable<Request> broken = () -> new java.util.Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Request next() {
                if (++n > 10_000) {
                    throw new IllegalStateException("log entry 10001 is not a decision");
                }
                return new Request("r" + n, "us1", "frontier-a", List.of(), AT, "US", "", "");
            }
        };
        assertThatThrownBy(
                        () -> Simulation.of(baseline, draft).workers(1).run(principals, new Traffic.Iterated(broken)))
                .hasMessageContaining("log entry 10001");
    }

    @Test
    void a_bad_request_line_fails_the_whole_run_naming_file_line_and_field(@TempDir Path tmp) throws Exception {
        Path file = Fixtures.write(tmp, "bad.jsonl", """
                {"id": "a", "principal": "us1", "model": "frontier-a", "time": "2026-11-25T10:00:00Z"}
                {"id": "b", "principal": "us1", "model": "frontier-a", "country": "usa"}
                """);
        assertThatThrownBy(() -> Simulation.of(baseline, draft).run(principals, new Traffic.JsonLinesFile(file)))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("bad.jsonl:2:")
                .hasMessageContaining("field 'country'");
    }

    @Test
    void the_report_carries_both_policy_versions() throws Exception {
        ImpactReport r = run(1);
        assertThat(r.baselinePolicyVersion()).isEqualTo(baseline.version());
        assertThat(r.draftPolicyVersion()).isEqualTo(draft.version()).isNotEqualTo(baseline.version());
        assertThat(r.run().decisions()).isEqualTo(2 * 10 + 2 * 6 * 3);
    }

    @Test
    void the_json_report_has_the_documented_keys() throws Exception {
        var node = Json.mapper().readTree(ReportJson.write(run(2)));
        assertThat(node.fieldNames())
                .toIterable()
                .contains("baseline_policy_version", "draft_policy_version", "requests", "principals");
        assertThat(node.get("requests").fieldNames())
                .toIterable()
                .contains(
                        "total",
                        "newly_denied",
                        "newly_allowed",
                        "unchanged",
                        "by_directive",
                        "by_model",
                        "by_country");
        assertThat(node.get("principals").fieldNames())
                .toIterable()
                .contains(
                        "total",
                        "losing_access",
                        "gaining_access",
                        "by_kind",
                        "by_citizenship",
                        "by_organization",
                        "employees",
                        "examples");
        assertThat(node.at("/requests/newly_denied").asLong()).isEqualTo(4);
        assertThat(node.at("/principals/by_organization/acme").asLong()).isEqualTo(2);
        assertThat(node.at("/principals/examples/0/citizenships/0").asText()).isEqualTo("CN");
        assertThat(Map.of(
                        "k",
                        node.at("/requests/by_model/frontier-b/newly_denied").asLong()))
                .containsEntry("k", 2L);
    }

    @Test
    void the_text_summary_leads_with_the_answers() throws Exception {
        String text = ReportText.write(run(2));
        assertThat(text)
                .contains("losing access   4 of 6")
                .contains("employees       2")
                .contains("newly denied    4 (40.0%)");
    }
}
