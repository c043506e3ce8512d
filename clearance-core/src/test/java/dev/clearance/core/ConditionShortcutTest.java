package dev.clearance.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.runtime.CelEvaluationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The Java shortcuts for common condition shapes answer exactly what CEL answers — true, false or
 * an evaluation error — for any principal and request, so they change the cost of a decision, never
 * the decision.
 */
class ConditionShortcutTest {
    /** Every shape with a shortcut, the error cases (unguarded attribute reads) and CEL's error absorption. */
    static final List<String> SHAPES = List.of(
            "!principal.us_person",
            "principal.us_person",
            "principal.protected_individual",
            "request.country in ['CU', 'IR', 'KP', 'SY']",
            "request.country == 'US'",
            "'US' != request.country",
            "request.model in ['m-1', 'm-2']",
            "principal.identity_assurance < 2",
            "principal.identity_assurance >= 3",
            "2 > principal.identity_assurance",
            "principal.identity_assurance == 1",
            "principal.identity_assurance != 0",
            "!principal.us_person || principal.identity_assurance < 2",
            "'employee' in principal.attributes",
            "principal.attributes['employee'] == 'true'",
            "principal.attributes['visa'] != 'H-1B'",
            "principal.attributes['program'] in ['p1', 'p7']",
            "principal.attributes['visa'] == 'H-1B' || principal.us_person",
            "principal.us_person || principal.attributes['visa'] == 'H-1B'",
            "!(principal.attributes['employee'] == 'true')",
            "!('visa' in principal.attributes) || principal.attributes['visa'] != 'H-1B'",
            "principal.organization in ['org-1', 'org-2']",
            "principal.kind == 'organization'",
            "principal.incorporated_in in ['CN', 'RU']",
            "principal.residence_country in ['CN', 'RU', 'US']",
            "principal.lawful_permanent_resident_of == 'US'",
            "principal.screening.status == 'confirmed_match'",
            "principal.organization_screening.status != 'clear'",
            "request.time >= timestamp('2026-11-20T00:00:00Z')",
            "request.time < timestamp('2026-11-20T00:00:00.000000001Z')",
            "timestamp('2026-11-20T01:00:00+01:00') <= request.time",
            "(principal.us_person || request.country in ['CU']) || principal.attributes['x'] == 'y'",
            "true",
            "!(principal.us_person || principal.identity_assurance >= 2)",
            "principal.citizenships.exists(c, c in ['CN', 'RU'])",
            "principal.citizenships.all(c, c == 'US')",
            "!principal.citizenships.exists(c, c.startsWith('C') || c != 'FR')",
            "principal.citizenships.all(c, !(c in ['CN']) || c.endsWith('N') || c.contains('Q'))",
            "request.capabilities.exists(c, c.startsWith('offensive-cyber'))",
            "request.capabilities.all(c, c == 'chat')",
            "has(principal.attributes.visa)",
            "!has(principal.attributes.visa) || principal.attributes['visa'].startsWith('H')",
            "principal.attributes['visa'].startsWith('H')",
            "principal.attributes['program'].endsWith('7') || principal.attributes['visa'].contains('-')",
            "principal.organization.endsWith('-1')",
            "principal.residence_country.contains('U')",
            "size(principal.citizenships) > 1",
            "principal.citizenships.size() == 0",
            "request.time > timestamp('2026-11-19T00:00:00Z') + duration('24h')",
            "request.time <= timestamp('2026-11-20T02:00:00Z') - duration('1h59m59s')",
            "duration('1h') + timestamp('2026-11-19T23:00:00Z') < request.time",
            "request.time - timestamp('2026-11-19T00:00:00Z') < duration('24h')",
            "request.time - timestamp('2026-11-20T00:00:00Z') >= duration('1000ms')",
            "request.time.getHours() >= 1",
            "request.time.getDayOfWeek() == 5",
            "request.time.getFullYear() == 2026 || request.time.getMonth() == 10",
            "request.time.getDate() == 20 || request.time.getDayOfMonth() == 18",
            "request.time.getDayOfYear() < 323 || request.time.getMinutes() == 59",
            "request.time.getSeconds() == 59");

    static final Policy POLICY = compile();

    private static Policy compile() {
        List<Directive> ds = new ArrayList<>();
        for (int i = 0; i < SHAPES.size(); i++) {
            ds.add(new Directive(
                    String.format("shape-%02d", i),
                    "shape",
                    null,
                    null,
                    Instant.EPOCH,
                    null,
                    List.of("*"),
                    List.of("*"),
                    SHAPES.get(i),
                    Directive.Effect.DENY,
                    List.of(),
                    Directive.Mode.ENFORCE,
                    "",
                    Directive.Source.of("shapes.yaml")));
        }
        try {
            return Policy.compile(ds);
        } catch (PolicyException e) {
            throw new AssertionError(e.problems().toString(), e);
        }
    }

    private static List<CompiledDirective.Conjunct> conjuncts() {
        List<CompiledDirective.Conjunct> all = new ArrayList<>();
        for (CompiledDirective cd : POLICY.candidates("any-model")) {
            all.addAll(List.of(cd.principalOnly));
            all.addAll(List.of(cd.withRequest));
        }
        return all;
    }

    @Test
    void every_common_condition_shape_is_given_a_shortcut() {
        assertThat(conjuncts()).hasSize(SHAPES.size());
        List<String> without = new ArrayList<>();
        for (CompiledDirective cd : POLICY.candidates("any-model")) {
            for (CompiledDirective.Conjunct c : cd.principalOnly) {
                if (c.shortcut() == null) {
                    without.add(cd.directive().appliesTo());
                }
            }
            for (CompiledDirective.Conjunct c : cd.withRequest) {
                if (c.shortcut() == null) {
                    without.add(cd.directive().appliesTo());
                }
            }
        }
        assertThat(without).as("shapes left to CEL").isEmpty();
    }

    @Test
    void a_condition_shape_outside_the_common_ones_is_left_to_cel() throws PolicyException {
        Directive d = new Directive(
                "exists",
                "t",
                null,
                null,
                Instant.EPOCH,
                null,
                List.of("*"),
                List.of("*"),
                "principal.licenses.exists(l, l.type == 'deemed-export-license')",
                Directive.Effect.DENY,
                List.of(),
                Directive.Mode.ENFORCE,
                "",
                Directive.Source.of("t.yaml"));
        CompiledDirective cd = Policy.compile(List.of(d)).candidates("m")[0];
        assertThat(cd.principalOnly)
                .singleElement()
                .satisfies(c -> assertThat(c.shortcut()).isNull());
    }

    @Property(tries = 400)
    void shortcuts_answer_exactly_what_cel_answers(
            @ForAll("principals") Principal principal, @ForAll("requests") Request request) {
        PrincipalFacts facts = PrincipalFacts.of(principal);
        CelValues.RequestValue requestValue = new CelValues.RequestValue(request);
        for (CompiledDirective.Conjunct c : conjuncts()) {
            byte cel;
            try {
                Object r = c.program().eval(name -> switch (name) {
                    case "principal" -> Optional.of(facts.cel());
                    case "request" -> Optional.of(requestValue);
                    default -> Optional.empty();
                });
                cel = Boolean.TRUE.equals(r) ? CompiledDirective.TRUE : CompiledDirective.FALSE;
            } catch (CelEvaluationException e) {
                cel = CompiledDirective.ERROR;
            }
            assertThat(c.shortcut().eval(facts, request)).as("%s", c.program()).isEqualTo(cel);
        }
    }

    @Provide
    Arbitrary<Principal> principals() {
        Arbitrary<String> country = Arbitraries.of("US", "CN", "RU", "FR", "");
        Arbitrary<Map<String, String>> attributes = Arbitraries.maps(
                        Arbitraries.of("employee", "visa", "program", "x"),
                        Arbitraries.of("true", "false", "H-1B", "p1", "p7", "y"))
                .ofMaxSize(3);
        Arbitrary<Screening> screening = Arbitraries.of(
                Screening.NOT_SCREENED,
                new Screening(Screening.CLEAR, List.of(), 0),
                new Screening(Screening.CONFIRMED_MATCH, List.of("SDN"), 0.99));
        return Combinators.combine(
                        Arbitraries.of(Principal.Kind.class),
                        country.list().ofMaxSize(2),
                        Arbitraries.of("US", ""),
                        Arbitraries.of(true, false),
                        country,
                        Arbitraries.of("org-1", "org-3", ""),
                        Arbitraries.integers().between(0, 3),
                        attributes)
                .as((kind, cit, lpr, prot, where, org, ial, attrs) -> Principal.builder("p")
                        .kind(kind)
                        .citizenships(cit.toArray(String[]::new))
                        .lawfulPermanentResidentOf(lpr)
                        .protectedIndividual(prot)
                        .residenceCountry(where)
                        .incorporatedIn(where)
                        .organization(org)
                        .identityAssurance(ial)
                        .attributes(attrs)
                        .build())
                .flatMap(p -> screening.tuple2().map(s -> p.withScreening(s.get1(), s.get2())));
    }

    @Provide
    Arbitrary<Request> requests() {
        Instant boundary = Instant.parse("2026-11-20T00:00:00Z");
        Arbitrary<Instant> time = Arbitraries.of(
                boundary,
                boundary.minusNanos(1),
                boundary.plusNanos(1),
                boundary.plusSeconds(3600),
                boundary.minusSeconds(86_400),
                boundary.plusMillis(1000),
                boundary.plusSeconds(3599),
                Instant.parse("2026-11-22T23:59:59Z"));
        Arbitrary<List<String>> capabilities = Arbitraries.of("offensive-cyber.exploit-dev", "chat", "bio-design")
                .list()
                .ofMaxSize(2);
        return Combinators.combine(
                        Arbitraries.of("m-1", "m-3"), Arbitraries.of("US", "CU", "FR", ""), time, capabilities)
                .as((model, country, t, caps) -> new Request("r", "p", model, caps, t, country, ""));
    }
}
