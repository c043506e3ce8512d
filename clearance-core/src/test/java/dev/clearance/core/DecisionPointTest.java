package dev.clearance.core;

import static dev.clearance.core.Fixtures.NOW;
import static dev.clearance.core.Fixtures.directive;
import static dev.clearance.core.Fixtures.license;
import static dev.clearance.core.Fixtures.policy;
import static dev.clearance.core.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DecisionPointTest {
    static final Directive US_PERSONS_ONLY = directive(
            "us-only",
            "scope: {models: ['frontier-*']}",
            "applies_to: '!principal.us_person'",
            "exempt: {licenses: [deemed-export-license]}",
            "message: U.S. persons only");
    static final Policy POLICY = policy(US_PERSONS_ONLY);

    static Decision decide(Policy p, Principal principal, Request r) {
        return DecisionPoint.decide(p, principal, r);
    }

    @Nested
    class UsPersonStatus {
        @Test
        void a_us_citizen_is_allowed() {
            Principal p = Principal.builder("a").citizenships("US").build();
            assertThat(decide(POLICY, p, request("a", "frontier-x")).outcome()).isEqualTo(Decision.Outcome.ALLOW);
        }

        @Test
        void a_foreign_national_living_in_the_us_is_denied() {
            Principal p = Principal.builder("c")
                    .citizenships("CN")
                    .residenceCountry("US")
                    .build();
            Decision d = decide(POLICY, p, request("c", "frontier-x"));
            assertThat(d.outcome()).isEqualTo(Decision.Outcome.DENY);
            assertThat(d.directives()).containsExactly("us-only");
            assertThat(d.message()).isEqualTo("U.S. persons only");
        }

        @Test
        void a_dual_citizen_with_us_citizenship_is_a_us_person() {
            Principal p = Principal.builder("d").citizenships("FR", "US").build();
            assertThat(p.usPerson()).isTrue();
            assertThat(decide(POLICY, p, request("d", "frontier-x")).allowed()).isTrue();
        }

        @Test
        void a_dual_foreign_citizen_is_not_a_us_person() {
            Principal p = Principal.builder("d").citizenships("FR", "DE").build();
            assertThat(decide(POLICY, p, request("d", "frontier-x")).allowed()).isFalse();
        }

        @Test
        void a_lawful_permanent_resident_is_a_us_person() {
            Principal p = Principal.builder("b")
                    .citizenships("BR")
                    .lawfulPermanentResidentOf("US")
                    .build();
            assertThat(decide(POLICY, p, request("b", "frontier-x")).allowed()).isTrue();
        }

        @Test
        void a_permanent_resident_of_another_country_is_not_a_us_person() {
            Principal p = Principal.builder("b")
                    .citizenships("BR")
                    .lawfulPermanentResidentOf("CA")
                    .build();
            assertThat(decide(POLICY, p, request("b", "frontier-x")).allowed()).isFalse();
        }

        @Test
        void a_protected_individual_is_a_us_person() {
            Principal p = Principal.builder("e")
                    .citizenships("SY")
                    .protectedIndividual(true)
                    .build();
            assertThat(decide(POLICY, p, request("e", "frontier-x")).allowed()).isTrue();
        }

        @Test
        void an_organization_is_a_us_person_only_when_incorporated_in_the_us() {
            Principal us = Principal.builder("o1")
                    .kind(Principal.Kind.ORGANIZATION)
                    .incorporatedIn("US")
                    .build();
            Principal de = Principal.builder("o2")
                    .kind(Principal.Kind.ORGANIZATION)
                    .incorporatedIn("DE")
                    .build();
            // An organisation's citizenships field does not make it a U.S. person.
            Principal odd = Principal.builder("o3")
                    .kind(Principal.Kind.ORGANIZATION)
                    .citizenships("US")
                    .build();
            assertThat(decide(POLICY, us, request("o1", "frontier-x")).allowed())
                    .isTrue();
            assertThat(decide(POLICY, de, request("o2", "frontier-x")).allowed())
                    .isFalse();
            assertThat(decide(POLICY, odd, request("o3", "frontier-x")).allowed())
                    .isFalse();
        }

        @Test
        void a_principal_with_no_facts_is_not_a_us_person() {
            Principal p = Principal.builder("x").build();
            assertThat(decide(POLICY, p, request("x", "frontier-x")).allowed()).isFalse();
        }
    }

    @Nested
    class UnknownPrincipal {
        @Test
        void an_unknown_principal_is_denied_even_for_an_unrestricted_model_with_an_error_saying_so() {
            Decision d = DecisionPoint.decide(POLICY, (Principal) null, request("ghost", "open-small"));
            assertThat(d.outcome()).isEqualTo(Decision.Outcome.DENY);
            assertThat(d.errors()).containsExactly("unknown principal 'ghost'");
            assertThat(d.policyVersion()).isEqualTo(POLICY.version());
        }
    }

    @Nested
    class TimeWindow {
        final Directive windowed = directive(
                "w",
                "effective_from: 2026-11-24T14:00:00Z",
                "effective_until: 2026-12-01T00:00:00Z",
                "scope: {models: ['m']}",
                "applies_to: 'true'");
        final Policy p = policy(windowed);
        final Principal anyone = Principal.builder("a").citizenships("US").build();

        Decision at(String time) {
            return decide(p, anyone, request("a", "m", Instant.parse(time), ""));
        }

        @Test
        void a_directive_applies_from_exactly_its_effective_from() {
            assertThat(at("2026-11-24T13:59:59.999999999Z").allowed()).isTrue();
            assertThat(at("2026-11-24T14:00:00Z").allowed()).isFalse();
        }

        @Test
        void a_directive_ends_exactly_at_its_effective_until_which_is_exclusive() {
            assertThat(at("2026-11-30T23:59:59.999Z").allowed()).isFalse();
            assertThat(at("2026-12-01T00:00:00Z").allowed()).isTrue();
            assertThat(at("2026-12-01T00:00:00.000000001Z").allowed()).isTrue();
        }
    }

    @Nested
    class ModelAndCapabilityScope {
        @Test
        void model_globs_must_match_the_whole_model_name() {
            Policy p = policy(directive("g", "scope: {models: ['frontier-*-pro']}", "applies_to: 'true'"));
            Principal a = Principal.builder("a").build();
            assertThat(decide(p, a, request("a", "frontier-x-pro")).allowed()).isFalse();
            assertThat(decide(p, a, request("a", "frontier-x-pro-2")).allowed()).isTrue();
            assertThat(decide(p, a, request("a", "my-frontier-x-pro")).allowed())
                    .isTrue();
        }

        @Test
        void the_default_capability_scope_covers_requests_with_and_without_capabilities() {
            Policy p = policy(directive("all", "scope: {models: ['*']}", "applies_to: 'true'"));
            Principal a = Principal.builder("a").build();
            assertThat(decide(p, a, request("a", "m")).allowed()).isFalse();
            assertThat(decide(p, a, request("a", "m", NOW, "", "chat")).allowed())
                    .isFalse();
        }

        @Test
        void a_capability_scoped_directive_only_covers_requests_with_a_matching_capability() {
            Policy p = policy(directive(
                    "cyber", "scope: {models: ['*'], capabilities: ['offensive-cyber*']}", "applies_to: 'true'"));
            Principal a = Principal.builder("a").build();
            assertThat(decide(p, a, request("a", "m")).allowed()).isTrue();
            assertThat(decide(p, a, request("a", "m", NOW, "", "chat", "code")).allowed())
                    .isTrue();
            assertThat(decide(p, a, request("a", "m", NOW, "", "chat", "offensive-cyber.exploits"))
                            .allowed())
                    .isFalse();
        }

        @Test
        void without_a_message_a_capability_scoped_denial_names_the_capability_not_the_whole_model() {
            Policy p = policy(directive(
                    "cyber", "scope: {models: ['*'], capabilities: ['offensive-cyber*']}", "applies_to: 'true'"));
            Decision d = decide(
                    p, Principal.builder("a").build(), request("a", "m", NOW, "", "chat", "offensive-cyber.exploits"));
            assertThat(d.message())
                    .isEqualTo("Capability 'offensive-cyber.exploits' of model 'm' is restricted by directive cyber.");
        }

        @Test
        void request_fields_are_visible_to_conditions() {
            Policy p = policy(directive(
                    "loc", "scope: {models: ['*']}", "applies_to: \"request.country in ['CU','IR','KP','SY']\""));
            Principal a = Principal.builder("a").citizenships("US").build();
            assertThat(decide(p, a, request("a", "m", NOW, "IR")).allowed()).isFalse();
            assertThat(decide(p, a, request("a", "m", NOW, "US")).allowed()).isTrue();
            // An unknown location is empty, never a guess: this directive does not match it.
            assertThat(decide(p, a, request("a", "m", NOW, "")).allowed()).isTrue();
        }
    }

    @Nested
    class CapabilityOpen {
        final Directive cyber = directive(
                "cyber",
                "scope: {models: ['frontier-*'], capabilities: ['offensive-cyber*']}",
                "applies_to: '!principal.us_person || principal.identity_assurance < 2'",
                "exempt: {licenses: [cyber-research]}");
        final Policy p = policy(US_PERSONS_ONLY, cyber);

        boolean open(Policy policy, Principal principal, Request r) {
            return DecisionPoint.capabilityOpen(policy, PrincipalFacts.of(principal), r);
        }

        @Test
        void a_capability_directive_that_would_apply_to_the_principal_is_open() {
            Principal chen = Principal.builder("chen").citizenships("CN").build();
            assertThat(open(p, chen, request("chen", "frontier-x"))).isTrue();
        }

        @Test
        void a_verified_us_person_has_no_open_capability_directive() {
            Principal alice = Principal.builder("alice")
                    .citizenships("US")
                    .identityAssurance(2)
                    .build();
            assertThat(open(p, alice, request("alice", "frontier-x"))).isFalse();
            Principal unverified = Principal.builder("bob").citizenships("US").build();
            assertThat(open(p, unverified, request("bob", "frontier-x"))).isTrue();
        }

        @Test
        void a_directive_scoped_to_every_capability_is_not_a_capability_directive() {
            Principal chen = Principal.builder("chen").citizenships("CN").build();
            assertThat(open(policy(US_PERSONS_ONLY), chen, request("chen", "frontier-x")))
                    .isFalse();
        }

        @Test
        void the_model_time_and_licenses_close_a_capability_directive() {
            Principal chen = Principal.builder("chen").citizenships("CN").build();
            assertThat(open(p, chen, request("chen", "open-small"))).isFalse();
            assertThat(open(p, chen, request("chen", "frontier-x", Instant.parse("2025-01-01T00:00:00Z"), "")))
                    .isFalse();
            Principal licensed = Principal.builder("f")
                    .citizenships("IN")
                    .licenses(license("cyber-research", NOW.minusSeconds(60), NOW.plusSeconds(60)))
                    .build();
            assertThat(open(p, licensed, request("f", "frontier-x"))).isFalse();
        }

        @Test
        void a_request_condition_that_does_not_read_capabilities_can_close_it_and_one_that_does_cannot() {
            Directive fromIran = directive(
                    "ir", "scope: {models: ['*'], capabilities: ['cbrn']}", "applies_to: \"request.country == 'IR'\"");
            Directive asksCbrn =
                    directive("asks", "scope: {models: ['*']}", "applies_to: \"'cbrn' in request.capabilities\"");
            Principal a = Principal.builder("a").citizenships("US").build();
            assertThat(open(policy(fromIran), a, request("a", "m", NOW, "US"))).isFalse();
            assertThat(open(policy(fromIran), a, request("a", "m", NOW, "IR"))).isTrue();
            assertThat(open(policy(asksCbrn), a, request("a", "m"))).isTrue();
        }

        @Test
        void shadow_directives_count_and_an_unknown_principal_never_does() {
            Directive shadow = directive(
                    "s", "scope: {models: ['*'], capabilities: ['cbrn']}", "applies_to: 'true'", "mode: shadow");
            Principal a = Principal.builder("a").citizenships("US").build();
            assertThat(open(policy(shadow), a, request("a", "m"))).isTrue();
            assertThat(DecisionPoint.capabilityOpen(policy(shadow), null, request("ghost", "m")))
                    .isFalse();
        }

        @Test
        void open_agrees_with_deciding_the_request_with_the_capability_added() {
            Principal chen = Principal.builder("chen").citizenships("CN").build();
            Request asked = request("chen", "frontier-x", NOW, "", "offensive-cyber");
            assertThat(open(p, chen, request("chen", "frontier-x"))).isTrue();
            assertThat(decide(p, chen, asked).directives()).contains("cyber");
        }

        @Test
        void capability_names_and_globs_compare_case_insensitively() {
            Principal chen = Principal.builder("chen").citizenships("CN").build();
            Directive upper =
                    directive("up", "scope: {models: ['*'], capabilities: ['Offensive-Cyber*']}", "applies_to: 'true'");
            assertThat(decide(policy(upper), chen, request("chen", "m", NOW, "", "offensive-cyber.malware"))
                            .allowed())
                    .isFalse();
            assertThat(decide(p, chen, request("chen", "frontier-x", NOW, "", "OFFENSIVE-CYBER"))
                            .directives())
                    .contains("cyber");
        }
    }

    @Nested
    class Exemptions {
        final Instant from = Instant.parse("2026-06-01T00:00:00Z"); // after the directive took effect
        final Instant until = Instant.parse("2027-01-01T00:00:00Z");

        Principal holder(License l) {
            return Principal.builder("f").citizenships("IN").licenses(l).build();
        }

        @Test
        void a_valid_license_of_an_exempting_type_exempts() {
            Principal p = holder(license("deemed-export-license", from, until));
            assertThat(decide(POLICY, p, request("f", "frontier-x")).allowed()).isTrue();
        }

        @Test
        void a_license_of_another_type_does_not_exempt() {
            Principal p = holder(license("some-other-license", from, until));
            assertThat(decide(POLICY, p, request("f", "frontier-x")).allowed()).isFalse();
        }

        @Test
        void a_license_is_valid_from_its_start_until_just_before_its_end() {
            Principal p = holder(license("deemed-export-license", from, until));
            assertThat(decide(POLICY, p, request("f", "frontier-x", from.minusNanos(1), ""))
                            .allowed())
                    .isFalse();
            assertThat(decide(POLICY, p, request("f", "frontier-x", from, "")).allowed())
                    .isTrue();
            assertThat(decide(POLICY, p, request("f", "frontier-x", until.minusNanos(1), ""))
                            .allowed())
                    .isTrue();
            assertThat(decide(POLICY, p, request("f", "frontier-x", until, "")).allowed())
                    .isFalse();
        }

        @Test
        void a_license_only_exempts_for_the_models_its_globs_cover() {
            Principal p = holder(license("deemed-export-license", from, until, "frontier-x*"));
            assertThat(decide(POLICY, p, request("f", "frontier-x-1")).allowed())
                    .isTrue();
            assertThat(decide(POLICY, p, request("f", "frontier-y-1")).allowed())
                    .isFalse();
        }

        @Test
        void an_exempt_principal_is_still_denied_by_a_directive_without_that_exemption() {
            Directive loc = directive("loc", "scope: {models: ['*']}", "applies_to: \"request.country == 'IR'\"");
            Policy p = policy(US_PERSONS_ONLY, loc);
            Principal f = holder(license("deemed-export-license", from, until));
            Decision d = decide(p, f, request("f", "frontier-x", NOW, "IR"));
            assertThat(d.directives()).containsExactly("loc");
        }
    }

    @Nested
    class ShadowMode {
        @Test
        void a_shadow_hit_is_reported_but_never_changes_the_decision() {
            Directive s = directive("proposed", "scope: {models: ['*']}", "applies_to: 'true'", "mode: shadow");
            Principal a = Principal.builder("a").citizenships("US").build();
            Decision d = decide(policy(s), a, request("a", "m"));
            assertThat(d.outcome()).isEqualTo(Decision.Outcome.ALLOW);
            assertThat(d.shadow()).containsExactly("proposed");
            assertThat(d.directives()).isEmpty();
        }

        @Test
        void the_directives_that_hit_are_sorted_by_id() {
            Policy p = policy(
                    directive("b-deny", "scope: {models: ['*']}", "applies_to: 'true'"),
                    directive("a-deny", "scope: {models: ['*']}", "applies_to: 'true'"),
                    directive("z-shadow", "scope: {models: ['*']}", "applies_to: 'true'", "mode: shadow"),
                    directive("c-shadow", "scope: {models: ['*']}", "applies_to: 'true'", "mode: shadow"));
            Decision d = decide(p, Principal.builder("a").build(), request("a", "m"));
            assertThat(d.directives()).containsExactly("a-deny", "b-deny");
            assertThat(d.shadow()).containsExactly("c-shadow", "z-shadow");
            assertThat(d.message()).contains("a-deny, b-deny");
        }
    }

    @Nested
    class FailClosed {
        final Directive clearance = directive(
                "clearance-attr",
                "scope: {models: ['*']}",
                "applies_to: \"principal.attributes['clearance'] != 'granted'\"");

        @Test
        void an_evaluation_error_counts_as_applying_and_is_reported() {
            Principal noAttr = Principal.builder("a").citizenships("US").build();
            Decision d = decide(policy(clearance), noAttr, request("a", "m"));
            assertThat(d.outcome()).isEqualTo(Decision.Outcome.DENY);
            assertThat(d.directives()).containsExactly("clearance-attr");
            assertThat(d.errors())
                    .singleElement()
                    .asString()
                    .contains("clearance-attr")
                    .contains("counted as applying");
        }

        @Test
        void a_guarded_read_of_a_missing_attribute_is_not_an_error() {
            Directive guarded = directive(
                    "guarded",
                    "scope: {models: ['*']}",
                    "applies_to: \"!('clearance' in principal.attributes) || principal.attributes['clearance'] != 'granted'\"");
            Principal granted = Principal.builder("a")
                    .attributes(Map.of("clearance", "granted"))
                    .build();
            Principal none = Principal.builder("b").build();
            assertThat(decide(policy(guarded), granted, request("a", "m")).allowed())
                    .isTrue();
            Decision d = decide(policy(guarded), none, request("b", "m"));
            assertThat(d.allowed()).isFalse();
            assertThat(d.errors()).isEmpty();
        }

        @Test
        void a_false_conjunct_wins_over_an_error_as_in_cel() {
            Directive d = directive(
                    "conj",
                    "scope: {models: ['*']}",
                    "applies_to: \"principal.attributes['missing'] == 'x' && request.country == 'IR'\"");
            Principal a = Principal.builder("a").build();
            assertThat(decide(policy(d), a, request("a", "m", NOW, "US")).allowed())
                    .isTrue();
            Decision denied = decide(policy(d), a, request("a", "m", NOW, "IR"));
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.errors()).hasSize(1);
        }

        @Test
        void a_memoised_error_is_reported_on_every_decision_exactly_as_the_first_time() {
            Policy p = policy(clearance);
            PrincipalFacts facts = PrincipalFacts.of(Principal.builder("a").build());
            Decision first = DecisionPoint.decide(p, facts, request("a", "m"));
            for (int i = 0; i < 3; i++) {
                Decision again = DecisionPoint.decide(p, facts, request("a", "m"));
                assertThat(again.outcome()).isEqualTo(Decision.Outcome.DENY);
                assertThat(again.directives()).containsExactly("clearance-attr");
                assertThat(again.errors()).isEqualTo(first.errors());
            }
            assertThat(first.errors())
                    .singleElement()
                    .asString()
                    .startsWith("directive 'clearance-attr': applies_to could not be evaluated, counted as applying: ")
                    .contains("clearance");
        }

        @Test
        void an_error_reported_from_the_memo_is_what_cel_says_for_that_principal() {
            // Two principals missing the key share one memoised line; one holding it is decided normally.
            Policy p = policy(clearance);
            Decision a = decide(p, Principal.builder("a").build(), request("a", "m"));
            Decision b = decide(
                    p, Principal.builder("b").attributes(Map.of("other", "x")).build(), request("b", "m"));
            Decision granted = decide(
                    p,
                    Principal.builder("c")
                            .attributes(Map.of("clearance", "granted"))
                            .build(),
                    request("c", "m"));
            assertThat(b.errors()).isEqualTo(a.errors());
            assertThat(granted.allowed()).isTrue();
            assertThat(granted.errors()).isEmpty();
            // The same condition evaluated without any shortcut (CEL's own message) reads the same.
            Directive viaCel = directive(
                    "clearance-attr",
                    "scope: {models: ['*']}",
                    "applies_to: \"principal.attributes['clearance'] != 'granted' || principal.licenses.exists(l, l.id == 'none')\"");
            Decision cel = decide(policy(viaCel), Principal.builder("a").build(), request("a", "m"));
            assertThat(cel.errors()).hasSize(1);
            assertThat(cel.errors().get(0)).startsWith(a.errors().get(0).replace("granted'", ""));
        }

        @Test
        void directives_sharing_an_erring_condition_each_report_their_own_error() {
            Directive other = directive(
                    "clearance-attr-2",
                    "scope: {models: ['*']}",
                    "applies_to: \"principal.attributes['clearance'] != 'granted'\"");
            Policy p = policy(clearance, other);
            PrincipalFacts facts = PrincipalFacts.of(Principal.builder("a").build());
            for (int i = 0; i < 2; i++) {
                Decision d = DecisionPoint.decide(p, facts, request("a", "m"));
                assertThat(d.directives()).containsExactly("clearance-attr", "clearance-attr-2");
                assertThat(d.errors()).hasSize(2);
                assertThat(d.errors().get(0)).startsWith("directive 'clearance-attr': ");
                assertThat(d.errors().get(1)).startsWith("directive 'clearance-attr-2': ");
            }
        }

        @Test
        void an_error_in_a_request_condition_is_reported_on_every_decision() {
            Directive d = directive(
                    "req-err",
                    "scope: {models: ['*']}",
                    "applies_to: \"principal.attributes['k'] != 'v' || request.country == 'IR'\"");
            Policy p = policy(d);
            PrincipalFacts facts = PrincipalFacts.of(Principal.builder("a").build());
            Decision first = DecisionPoint.decide(p, facts, request("a", "m", NOW, "US"));
            Decision second = DecisionPoint.decide(p, facts, request("a", "m", NOW, "FR"));
            Decision iran = DecisionPoint.decide(p, facts, request("a", "m", NOW, "IR"));
            assertThat(first.allowed()).isFalse();
            assertThat(first.errors()).singleElement().asString().contains("req-err");
            assertThat(second.errors()).isEqualTo(first.errors());
            assertThat(iran.allowed()).isFalse();
            assertThat(iran.errors()).isEmpty(); // true absorbs the error, as in CEL
        }

        @Test
        void an_error_in_a_shadow_directive_is_reported_but_does_not_deny() {
            Directive s = directive(
                    "shadow-err",
                    "scope: {models: ['*']}",
                    "applies_to: \"principal.attributes['x'] == 'y'\"",
                    "mode: shadow");
            Decision d = decide(policy(s), Principal.builder("a").build(), request("a", "m"));
            assertThat(d.allowed()).isTrue();
            assertThat(d.shadow()).containsExactly("shadow-err");
            assertThat(d.errors()).hasSize(1);
        }
    }

    @Nested
    class Memoisation {
        @Test
        void cached_facts_give_the_same_answers_under_a_new_policy() {
            PrincipalFacts facts =
                    PrincipalFacts.of(Principal.builder("c").citizenships("CN").build());
            Policy deny = POLICY;
            Policy none = policy(directive("other", "scope: {models: ['elsewhere']}", "applies_to: 'true'"));
            assertThat(DecisionPoint.decide(deny, facts, request("c", "frontier-x"))
                            .allowed())
                    .isFalse();
            assertThat(DecisionPoint.decide(none, facts, request("c", "frontier-x"))
                            .allowed())
                    .isTrue();
            assertThat(DecisionPoint.decide(deny, facts, request("c", "frontier-x"))
                            .allowed())
                    .isFalse();
        }

        @Test
        void principal_only_conditions_combine_with_request_conditions() {
            Directive d = directive(
                    "mixed",
                    "scope: {models: ['*']}",
                    "applies_to: \"!principal.us_person && request.country == 'CN' && principal.identity_assurance < 2\"");
            Policy p = policy(d);
            PrincipalFacts low = PrincipalFacts.of(Principal.builder("l")
                    .citizenships("FR")
                    .identityAssurance(1)
                    .build());
            PrincipalFacts high = PrincipalFacts.of(Principal.builder("h")
                    .citizenships("FR")
                    .identityAssurance(3)
                    .build());
            assertThat(DecisionPoint.decide(p, low, request("l", "m", NOW, "CN"))
                            .allowed())
                    .isFalse();
            assertThat(DecisionPoint.decide(p, low, request("l", "m", NOW, "FR"))
                            .allowed())
                    .isTrue();
            assertThat(DecisionPoint.decide(p, high, request("h", "m", NOW, "CN"))
                            .allowed())
                    .isTrue();
        }
    }

    @Test
    void the_decision_carries_the_request_id_and_a_request_without_one_is_refused_not_given_a_made_up_id() {
        Principal a = Principal.builder("a").build();
        assertThat(decide(POLICY, a, request("a", "m")).id()).isEqualTo("r");
        Request noId = new Request("", "a", "m", List.of(), NOW, "", "");
        assertThatThrownBy(() -> decide(POLICY, a, noId))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no id");
    }

    @Test
    void the_policy_version_is_a_content_hash_independent_of_order_and_layout() throws PolicyException {
        Directive a = directive("a", "scope: {models: ['*']}", "applies_to: 'true'");
        Directive b = directive("b", "scope:\n  models:\n    - '*'", "applies_to: \"true\"");
        assertThat(Policy.compile(List.of(a, b)).version())
                .isEqualTo(Policy.compile(List.of(b, a)).version());
        Directive a2 = directive("a", "scope: {models: ['*']}", "applies_to: 'false'");
        assertThat(Policy.compile(List.of(a2, b)).version())
                .isNotEqualTo(Policy.compile(List.of(a, b)).version());
        assertThat(Policy.empty().version()).startsWith("sha256:");
    }

    @Nested
    class UnreadableClientLocation {
        final Request.LocationError failClosed = new Request.LocationError(
                "X-Forwarded-For entry 'x' from trusted proxy 127.0.0.1 is not an address", true);
        final Request.LocationError unknownCountry =
                new Request.LocationError("Forwarded for=_hidden is obfuscated", false);

        Request from(Request.LocationError error) {
            return new Request("r", "a", "open-model", List.of(), NOW, "", "", "/v1/messages", error);
        }

        @Test
        void a_location_that_could_not_be_read_denies_when_failing_closed_and_says_why() {
            Principal usCitizen = Principal.builder("a").citizenships("US").build();
            Decision d = decide(POLICY, usCitizen, from(failClosed));
            assertThat(d.allowed()).isFalse();
            assertThat(d.directives()).isEmpty();
            assertThat(d.errors()).containsExactly("client location unknown: " + failClosed.reason());
            assertThat(d.message()).contains("location could not be determined");
        }

        @Test
        void as_an_unknown_country_it_is_reported_and_the_directives_decide() {
            Principal usCitizen = Principal.builder("a").citizenships("US").build();
            Decision allowed = decide(POLICY, usCitizen, from(unknownCountry));
            assertThat(allowed.allowed()).isTrue();
            assertThat(allowed.errors()).containsExactly("client location unknown: " + unknownCountry.reason());

            Policy unknownDenied = policy(
                    directive("unknown-location", "scope: {models: ['*']}", "applies_to: 'request.country == \"\"'"));
            Decision denied = decide(unknownDenied, usCitizen, from(unknownCountry));
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.directives()).containsExactly("unknown-location");
        }

        @Test
        void the_error_survives_a_change_of_model_or_time() {
            Request r = from(failClosed);
            assertThat(r.withModel("other")
                            .withTime(NOW.plusSeconds(5))
                            .withId("s")
                            .locationError())
                    .isEqualTo(failClosed);
        }
    }
}
