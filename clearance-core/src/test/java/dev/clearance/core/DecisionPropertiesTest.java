package dev.clearance.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Monotonicity laws of the decision: more restriction never grants, shadow never changes anything. */
class DecisionPropertiesTest {
    static final List<String> COUNTRIES = List.of("US", "CN", "FR", "IR", "IN", "BR", "");
    static final List<String> MODELS = List.of("frontier-x-1", "frontier-y-2", "open-small");
    static final List<String> CONDITIONS = List.of(
            "!principal.us_person",
            "request.country in ['CU','IR','KP','SY']",
            "principal.identity_assurance < 2",
            "principal.citizenships.exists(c, c in ['CN','RU'])",
            "'employee' in principal.attributes && !principal.us_person",
            "principal.attributes['tier'] == 'gold'", // errors when absent: fail closed
            "request.country == '' && principal.residence_country != 'US'",
            "true");
    static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

    @Provide
    Arbitrary<Principal> principals() {
        Arbitrary<List<String>> cit = Arbitraries.of("US", "CN", "FR", "IN", "RU", "BR")
                .list()
                .ofMaxSize(2)
                .uniqueElements();
        return Combinators.combine(
                        cit,
                        Arbitraries.of("", "US", "CA"),
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        Arbitraries.of(Principal.Kind.PERSON, Principal.Kind.ORGANIZATION))
                .as((c, lpr, prot, ial, emp, lic, kind) -> Principal.builder("p")
                        .kind(kind)
                        .citizenships(c.toArray(String[]::new))
                        .lawfulPermanentResidentOf(lpr)
                        .protectedIndividual(prot)
                        .identityAssurance(ial)
                        .incorporatedIn(kind == Principal.Kind.ORGANIZATION ? (prot ? "US" : "DE") : "")
                        .attributes(emp ? Map.of("employee", "true") : Map.of())
                        .licenses(
                                lic
                                        ? new License[] {
                                            new License(
                                                    "L",
                                                    "lic-a",
                                                    List.of("frontier-*"),
                                                    T0.minusSeconds(86400),
                                                    T0.plusSeconds(86400))
                                        }
                                        : new License[0])
                        .build());
    }

    @Provide
    Arbitrary<Request> requests() {
        return Combinators.combine(
                        Arbitraries.of(MODELS),
                        Arbitraries.of(COUNTRIES),
                        Arbitraries.of(List.<String>of(), List.of("chat"), List.of("offensive-cyber.x")),
                        Arbitraries.longs().between(-3 * 86400L, 3 * 86400L))
                .as((m, c, caps, dt) -> new Request("r", "p", m, caps, T0.plusSeconds(dt), c, ""));
    }

    @Provide
    Arbitrary<Directive> directives() {
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'z').ofLength(6);
        return Combinators.combine(
                        ids,
                        Arbitraries.of("'*'", "'frontier-*'", "'open-small'", "'frontier-x*'"),
                        Arbitraries.of(CONDITIONS),
                        Arbitraries.of("", "capabilities: ['offensive-cyber*']"),
                        Arbitraries.of("", "exempt: {licenses: [lic-a]}"),
                        Arbitraries.of(-2L, 0L, 1L),
                        Arbitraries.of("", "effective_until: 2026-11-27T00:00:00Z"))
                .as((id, model, cond, caps, exempt, fromDays, until) -> {
                    List<String> lines = new ArrayList<>();
                    lines.add("effective_from: " + T0.plusSeconds(fromDays * 86400));
                    lines.add("scope: {models: [" + model + "]" + (caps.isEmpty() ? "" : ", " + caps) + "}");
                    lines.add("applies_to: \"" + cond + "\"");
                    if (!exempt.isEmpty()) {
                        lines.add(exempt);
                    }
                    if (!until.isEmpty() && fromDays < 1) {
                        lines.add(until);
                    }
                    return Fixtures.directive(id, lines.toArray(String[]::new));
                });
    }

    @Provide
    Arbitrary<List<Directive>> directiveLists() {
        return directives().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Request>> requestLists() {
        return requests().list().ofMinSize(1).ofMaxSize(5);
    }

    static Decision decide(List<Directive> ds, Principal p, Request r) {
        try {
            return DecisionPoint.decide(Policy.compile(ds), p, r);
        } catch (PolicyException e) {
            throw new AssertionError(e);
        }
    }

    static List<Directive> unique(List<Directive> ds) {
        List<Directive> out = new ArrayList<>();
        for (Directive d : ds) {
            if (out.stream().noneMatch(o -> o.id().equals(d.id()))) {
                out.add(d);
            }
        }
        return out;
    }

    @Property(tries = 300)
    void adding_an_enforce_directive_never_turns_a_deny_into_an_allow(
            @ForAll("directiveLists") List<Directive> base,
            @ForAll("directives") Directive added,
            @ForAll("principals") Principal p,
            @ForAll("requests") Request r) {
        List<Directive> before = unique(base);
        before.removeIf(d -> d.id().equals(added.id()));
        List<Directive> after = new ArrayList<>(before);
        after.add(added);
        if (!decide(before, p, r).allowed()) {
            assertThat(decide(after, p, r).allowed()).isFalse();
        }
    }

    @Property(tries = 300)
    void shadow_directives_never_change_a_decision(
            @ForAll("directiveLists") List<Directive> base,
            @ForAll("directiveLists") List<Directive> shadows,
            @ForAll("principals") Principal p,
            @ForAll("requests") Request r) {
        List<Directive> before = unique(base);
        List<Directive> after = new ArrayList<>(before);
        for (Directive s : unique(shadows)) {
            if (after.stream().noneMatch(d -> d.id().equals("s-" + s.id()))) {
                after.add(new Directive(
                        "s-" + s.id(),
                        s.title(),
                        s.authority(),
                        s.reference(),
                        s.effectiveFrom(),
                        s.effectiveUntil(),
                        s.models(),
                        s.capabilities(),
                        s.appliesTo(),
                        s.effect(),
                        s.exemptLicenses(),
                        Directive.Mode.SHADOW,
                        s.message(),
                        s.source()));
            }
        }
        Decision without = decide(before, p, r);
        Decision with = decide(after, p, r);
        assertThat(with.outcome()).isEqualTo(without.outcome());
        assertThat(with.directives()).isEqualTo(without.directives());
    }

    @Property(tries = 300)
    void removing_an_exemption_never_turns_a_deny_into_an_allow(
            @ForAll("directiveLists") List<Directive> base,
            @ForAll("principals") Principal p,
            @ForAll("requests") Request r) {
        List<Directive> with = unique(base);
        List<Directive> without = new ArrayList<>();
        for (Directive d : with) {
            without.add(new Directive(
                    d.id(),
                    d.title(),
                    d.authority(),
                    d.reference(),
                    d.effectiveFrom(),
                    d.effectiveUntil(),
                    d.models(),
                    d.capabilities(),
                    d.appliesTo(),
                    d.effect(),
                    List.of(),
                    d.mode(),
                    d.message(),
                    d.source()));
        }
        if (!decide(with, p, r).allowed()) {
            assertThat(decide(without, p, r).allowed()).isFalse();
        }
    }

    @Property(tries = 200)
    void cached_principal_facts_decide_exactly_as_fresh_ones(
            @ForAll("directiveLists") List<Directive> base,
            @ForAll("principals") Principal p,
            @ForAll("requestLists") List<Request> rs)
            throws PolicyException {
        Policy policy = Policy.compile(unique(base));
        PrincipalFacts cached = PrincipalFacts.of(p);
        for (Request r : rs) {
            Decision fresh = DecisionPoint.decide(policy, p, r);
            Decision memo = DecisionPoint.decide(policy, cached, r);
            assertThat(memo).usingRecursiveComparison().isEqualTo(fresh);
        }
    }
}
