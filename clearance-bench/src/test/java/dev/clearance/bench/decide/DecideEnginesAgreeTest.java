package dev.clearance.bench.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.core.Decision;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Policy;
import dev.clearance.core.Principal;
import dev.clearance.core.PrincipalFacts;
import dev.clearance.core.Request;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark compares like with like: on the benchmark's own generated directives and a sample of
 * its requests, cedar-java and jCasbin reach the decision the core reaches.
 */
class DecideEnginesAgreeTest {
    /** Few enough that principals come back, so the per-principal memo is read as well as filled. */
    private static final int PRINCIPALS = 500;

    private static final int REQUESTS = 1_500;

    private static List<Workload.GeneratedDirective> generated;
    private static Policy policy;
    private static Principal[] principals;
    private static PrincipalFacts[] facts;
    private static Request[] requests;

    @BeforeAll
    static void generate() throws Exception {
        generated = Workload.directives(200, DecideBenchmark.SEED);
        policy = Policy.compile(
                generated.stream().map(Workload.GeneratedDirective::directive).toList());
        principals = new Principal[PRINCIPALS];
        facts = new PrincipalFacts[PRINCIPALS];
        for (int i = 0; i < PRINCIPALS; i++) {
            principals[i] = Workload.principal(i, DecideBenchmark.SEED);
            facts[i] = PrincipalFacts.of(principals[i]);
        }
        requests = Workload.requests(REQUESTS, PRINCIPALS, generated, DecideBenchmark.SEED);
    }

    private static Principal principalOf(Request r) {
        return principals[Workload.principalIndex(r)];
    }

    /** The decision with the principal's cached facts, as the benchmark and the gateway make it. */
    private static Decision decide(Request r) {
        return DecisionPoint.decide(policy, facts[Workload.principalIndex(r)], r);
    }

    @Test
    void the_sample_exercises_allows_denies_shadow_hits_exemptions_and_many_directives_the_same_with_cached_facts() {
        int deny = 0;
        int shadow = 0;
        int exempted = 0;
        Set<String> hit = new HashSet<>();
        for (Request r : requests) {
            Principal p = principalOf(r);
            Decision d = DecisionPoint.decide(policy, p, r);
            assertThat(decide(r)).as("with cached facts").isEqualTo(d);
            deny += d.allowed() ? 0 : 1;
            shadow += d.shadow().isEmpty() ? 0 : 1;
            hit.addAll(d.directives());
            hit.addAll(d.shadow());
            assertThat(d.errors()).as("generated conditions never error").isEmpty();
            Principal unlicensed = new Principal(
                    p.id(),
                    p.kind(),
                    p.name(),
                    p.citizenships(),
                    p.lawfulPermanentResidentOf(),
                    p.protectedIndividual(),
                    p.residenceCountry(),
                    p.incorporatedIn(),
                    p.organization(),
                    p.identityAssurance(),
                    List.of(),
                    p.attributes(),
                    p.screening(),
                    p.organizationScreening());
            if (d.allowed() && !DecisionPoint.decide(policy, unlicensed, r).allowed()) {
                exempted++;
            }
        }
        assertThat(deny).as("denied").isBetween(REQUESTS / 20, REQUESTS * 19 / 20);
        assertThat(shadow).as("with shadow hits").isPositive();
        assertThat(exempted).as("allowed only thanks to a license").isPositive();
        assertThat(hit).as("distinct directives hit").hasSizeGreaterThan(40);
    }

    @Test
    void cedar_java_reaches_the_same_decision_and_the_same_determining_directives() {
        CedarEngine cedar = new CedarEngine(generated);
        for (Request r : requests) {
            Principal p = principalOf(r);
            Decision d = decide(r);
            CedarEngine.Answer a = cedar.decide(p, CedarEngine.entity(p), r);
            assertThat(a.allowed()).as("allowed? %s by %s", r, p).isEqualTo(d.allowed());
            if (d.allowed()) {
                Set<String> shadowPermits = new HashSet<>(a.reasons());
                shadowPermits.remove(CedarEngine.BASELINE);
                assertThat(shadowPermits).as("shadow hits of %s", r).containsExactlyInAnyOrderElementsOf(d.shadow());
            } else {
                assertThat(a.reasons()).as("forbids of %s", r).containsExactlyInAnyOrderElementsOf(d.directives());
            }
        }
    }

    @Test
    void jcasbin_with_the_rules_in_its_matcher_reaches_the_same_decision() {
        CasbinEngine casbin = CasbinEngine.withInlinedMatcher(generated);
        for (Request r : requests) {
            Principal p = principalOf(r);
            assertThat(casbin.allowed(p, CasbinEngine.Subject.of(p), r))
                    .as("allowed? %s by %s", r, p)
                    .isEqualTo(decide(r).allowed());
        }
    }

    /** Fewer requests: this form recompiles every rule on every request (about 0.1 s a decision). */
    @Test
    void jcasbin_with_eval_rules_reaches_the_same_decision() {
        CasbinEngine casbin = CasbinEngine.withEval(generated);
        for (Request r : List.of(requests).subList(0, 60)) {
            Principal p = principalOf(r);
            assertThat(casbin.allowed(p, CasbinEngine.Subject.of(p), r))
                    .as("allowed? %s by %s", r, p)
                    .isEqualTo(decide(r).allowed());
        }
    }
}
