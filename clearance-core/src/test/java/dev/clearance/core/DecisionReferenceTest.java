package dev.clearance.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The decision point against a reference that asks every directive of the policy one by one, in
 * index order, with CEL alone (no shortcut, no memo, no bit sets): same outcome, same hits, shadow
 * hits and error lines in the same order. Policies of up to 200 directives, so that the bit sets
 * of the model scope, the effective windows, the capability scopes and the memo span several words;
 * request times on directives' boundaries, a millisecond or a nanosecond off them, and between.
 */
class DecisionReferenceTest {
    static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");
    static final List<String> MODELS = List.of("frontier-x-1", "frontier-y-2", "open-small");
    static final List<String> MODEL_GLOBS = List.of("'*'", "'frontier-*'", "'open-small'", "'frontier-x*'");
    static final List<String> CAPABILITY_SCOPES =
            List.of("", "capabilities: ['offensive-cyber*']", "capabilities: ['chat', 'image-*']");
    static final List<List<String>> REQUESTED_CAPABILITIES = List.of(
            List.of(), List.of("chat"), List.of("offensive-cyber.x"), List.of("Image-Gen", "chat"), List.of("other"));
    /** The monotonicity laws' conditions, and some reading the request's time and capabilities. */
    static final List<String> CONDITIONS = Stream.concat(
                    DecisionPropertiesTest.CONDITIONS.stream(),
                    Stream.of(
                            "principal.attributes['tier'] == 'gold' && request.country == 'IR'",
                            "size(principal.citizenships) > 1", // no shortcut: CEL
                            "request.time > timestamp('2026-11-26T06:00:00Z')",
                            "'chat' in request.capabilities"))
            .toList();
    /** Effective-window starts and ends, relative to T0: days, and a millisecond and nanoseconds off. */
    static final List<Duration> OFFSETS = List.of(
            Duration.ofDays(-2),
            Duration.ZERO,
            Duration.ofMillis(1),
            Duration.ofNanos(500),
            Duration.ofHours(6),
            Duration.ofDays(1),
            Duration.ofDays(1).plusNanos(999_999),
            Duration.ofDays(3));

    /** One directive: choices by index into the lists above. */
    record Spec(int model, int condition, int capabilities, int from, int until, boolean shadow, boolean exempt) {}

    @Provide
    Arbitrary<List<Spec>> specs() {
        Arbitrary<Spec> one = Combinators.combine(
                        Arbitraries.integers().between(0, MODEL_GLOBS.size() - 1),
                        Arbitraries.integers().between(0, CONDITIONS.size() - 1),
                        Arbitraries.integers().between(0, CAPABILITY_SCOPES.size() - 1),
                        Arbitraries.integers().between(0, OFFSETS.size() - 1),
                        Arbitraries.integers().between(-1, OFFSETS.size() - 1),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false))
                .as(Spec::new);
        return one.list().ofMinSize(1).ofMaxSize(200);
    }

    @Provide
    Arbitrary<Principal> principals() {
        return Combinators.combine(
                        Arbitraries.of("US", "CN", "FR", "RU")
                                .list()
                                .ofMaxSize(2)
                                .uniqueElements(),
                        Arbitraries.of("", "US"),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.of(Map.<String, String>of(), Map.of("employee", "true"), Map.of("tier", "gold")),
                        Arbitraries.of(true, false))
                .as((cit, residence, ial, attributes, licensed) -> Principal.builder("p")
                        .citizenships(cit.toArray(String[]::new))
                        .residenceCountry(residence)
                        .identityAssurance(ial)
                        .attributes(attributes)
                        .licenses(
                                licensed
                                        ? new License[] {
                                            new License(
                                                    "L",
                                                    "lic-a",
                                                    List.of("frontier-*"),
                                                    T0.minus(Duration.ofDays(1)),
                                                    T0.plus(Duration.ofDays(1)))
                                        }
                                        : new License[0])
                        .build());
    }

    /** A request: its time is the {@code boundary}-th effective boundary of the policy plus {@code shift}. */
    record Ask(int model, int capabilities, String country, int boundary, Duration shift) {}

    @Provide
    Arbitrary<List<Ask>> asks() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, MODELS.size() - 1),
                        Arbitraries.integers().between(0, REQUESTED_CAPABILITIES.size() - 1),
                        Arbitraries.of("US", "IR", ""),
                        Arbitraries.integers().between(0, 400),
                        Arbitraries.of(
                                Duration.ZERO,
                                Duration.ZERO,
                                Duration.ofMillis(1),
                                Duration.ofMillis(-1),
                                Duration.ofNanos(1),
                                Duration.ofNanos(-1),
                                Duration.ofMinutes(7)))
                .as(Ask::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(12);
    }

    @Property(tries = 150)
    void decisions_agree_with_asking_every_directive_one_by_one(
            @ForAll("specs") List<Spec> specs, @ForAll("principals") Principal p, @ForAll("asks") List<Ask> asks) {
        Policy policy = policy(specs);
        List<Request> requests = requests(policy, asks);
        PrincipalFacts warm = PrincipalFacts.of(p);
        for (Request r : requests.reversed()) {
            DecisionPoint.decide(policy, warm, r);
        }
        // settled by decisions that only count (no error lines memoised), then asked to explain
        PrincipalFacts countedFirst = PrincipalFacts.of(p);
        for (Request r : requests) {
            DecisionPoint.outcome(policy, countedFirst, r);
        }
        PrincipalFacts growing = PrincipalFacts.of(p);
        for (Request r : requests) {
            Reference expected = reference(policy, p, r);
            for (PrincipalFacts facts : List.of(
                    PrincipalFacts.of(p),
                    PrincipalFacts.of(p, policy),
                    PrincipalFacts.of(p, policy(List.of())),
                    warm,
                    countedFirst,
                    growing)) {
                Decision d = DecisionPoint.decide(policy, facts, r);
                assertThat(d.directives()).as("hits at %s", r.time()).isEqualTo(expected.hits);
                assertThat(d.shadow()).as("shadow hits at %s", r.time()).isEqualTo(expected.shadow);
                assertThat(d.errors()).as("errors at %s", r.time()).isEqualTo(expected.errors);
                assertThat(d.allowed()).isEqualTo(expected.hits.isEmpty());
                if (expected.message != null) {
                    assertThat(d.message()).isEqualTo(expected.message);
                }
                Decision counted = DecisionPoint.outcome(policy, facts, r);
                assertThat(counted.directives())
                        .as("outcome: hits at %s", r.time())
                        .isEqualTo(expected.hits);
                assertThat(counted.shadow()).as("outcome: shadow hits").isEqualTo(expected.shadow);
                assertThat(counted.allowed()).isEqualTo(d.allowed());
                assertThat(counted.errors()).isEmpty();
                assertThat(counted.message()).isEmpty();
            }
        }
    }

    @Test
    void facts_made_for_a_policy_hold_its_empty_memo_from_the_start_and_replace_it_for_another() {
        Principal p = Principal.builder("p").build();
        Policy policy = policy(List.of());
        PrincipalFacts facts = PrincipalFacts.of(p, policy);
        long[] made = facts.memo;
        assertThat(made).isNotNull();
        assertThat(made[0]).isEqualTo(policy.serial());
        assertThat(java.util.Arrays.stream(made, 1, made.length)).allMatch(w -> w == 0);
        assertThat(facts.memoFor(policy)).isSameAs(made);
        Policy other = policy(List.of());
        assertThat(facts.memoFor(other)).isNotSameAs(made);
        assertThat(facts.memo[0]).isEqualTo(other.serial());
        assertThat(PrincipalFacts.of(p).memo).isNull();
    }

    @Property(tries = 30)
    void directives_in_force_are_exact_on_and_beside_every_boundary(
            @ForAll("specs") List<Spec> specs, @ForAll @IntRange(min = 0, max = 2) int model) {
        Policy policy = policy(specs);
        List<Instant> times = new ArrayList<>();
        for (Instant b : boundaries(policy)) {
            for (long nanos : new long[] {-1_000_000, -1, 0, 1, 999_999, 1_000_000}) {
                times.add(b.plusNanos(nanos));
            }
        }
        Principal p = Principal.builder("p").attributes(Map.of("tier", "gold")).build();
        for (Instant t : times) {
            Request r = new Request("r", "p", MODELS.get(model), List.of("chat"), t, "IR", "");
            assertThat(DecisionPoint.decide(policy, PrincipalFacts.of(p), r).directives())
                    .as("hits at %s", t)
                    .isEqualTo(reference(policy, p, r).hits);
        }
    }

    /**
     * Several threads decide the same requests with the same facts, under two policies in turn (so
     * memos are replaced while others write to them) and with request times in more intervals than
     * the in-force cache holds (so its entries are overwritten while read): every decision equals the
     * one made alone beforehand.
     */
    @Test
    void concurrent_decisions_never_see_a_wrong_memo_state_or_in_force_set() throws Exception {
        List<Spec> specs = new ArrayList<>();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(14);
        for (int i = 0; i < 190; i++) {
            specs.add(new Spec(
                    rnd.nextInt(MODEL_GLOBS.size()),
                    rnd.nextInt(CONDITIONS.size()),
                    rnd.nextInt(CAPABILITY_SCOPES.size()),
                    rnd.nextInt(OFFSETS.size()),
                    rnd.nextInt(-1, OFFSETS.size()),
                    rnd.nextBoolean(),
                    rnd.nextBoolean()));
        }
        Policy a = policy(specs);
        Policy b = policy(specs.subList(0, 150));
        List<Principal> principals = List.of(
                Principal.builder("p").citizenships("CN").build(),
                Principal.builder("p").citizenships("US").identityAssurance(2).build(),
                Principal.builder("p").attributes(Map.of("tier", "gold")).build());
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Instant t = T0.minus(Duration.ofDays(3)).plus(Duration.ofMinutes(rnd.nextInt(9 * 24 * 60)));
            if (i % 5 == 0) {
                List<Instant> bs = boundaries(a);
                t = bs.get(rnd.nextInt(bs.size()));
            }
            requests.add(new Request(
                    "r" + i,
                    "p",
                    MODELS.get(rnd.nextInt(MODELS.size())),
                    REQUESTED_CAPABILITIES.get(rnd.nextInt(REQUESTED_CAPABILITIES.size())),
                    t,
                    List.of("US", "IR", "").get(rnd.nextInt(3)),
                    ""));
        }
        Decision[][][] expected = new Decision[2][principals.size()][requests.size()];
        for (int pi = 0; pi < principals.size(); pi++) {
            for (int ri = 0; ri < requests.size(); ri++) {
                expected[0][pi][ri] = DecisionPoint.decide(a, principals.get(pi), requests.get(ri));
                expected[1][pi][ri] = DecisionPoint.decide(b, principals.get(pi), requests.get(ri));
            }
        }
        Policy[] policies = {a, b};
        for (int round = 0; round < 20; round++) {
            PrincipalFacts[] shared =
                    principals.stream().map(PrincipalFacts::of).toArray(PrincipalFacts[]::new);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> done = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int seed = round * 4 + thread;
                done.add(pool.submit(() -> {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
                    int checked = 0;
                    for (int n = 0; n < 3000; n++) {
                        int pol = r.nextInt(8) == 0 ? 1 : 0;
                        int pi = r.nextInt(shared.length);
                        int ri = r.nextInt(requests.size());
                        Decision d = DecisionPoint.decide(policies[pol], shared[pi], requests.get(ri));
                        assertThat(d).isEqualTo(expected[pol][pi][ri]);
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).isEqualTo(3000);
            }
            pool.shutdown();
        }
    }

    @Property(tries = 20)
    void policies_over_64_and_128_directives_use_every_word(@ForAll @Size(min = 129, max = 200) List<Boolean> shadow) {
        // every directive applies: each must be reported, the last ones included
        List<Directive> ds = new ArrayList<>();
        for (int i = 0; i < shadow.size(); i++) {
            ds.add(Fixtures.directive(
                    String.format(Locale.ROOT, "d%03d", i),
                    "scope: {models: ['*']}",
                    "applies_to: \"true\"",
                    shadow.get(i) ? "mode: shadow" : "mode: enforce"));
        }
        Policy policy = Fixtures.policy(ds.toArray(Directive[]::new));
        Principal p = Principal.builder("p").build();
        Decision d = DecisionPoint.decide(policy, p, Fixtures.request("p", "m"));
        assertThat(d.directives().size() + d.shadow().size()).isEqualTo(shadow.size());
        assertThat(d.directives()).isSorted();
        assertThat(d.shadow()).isSorted();
    }

    @Property(tries = 500)
    void facts_are_for_exactly_the_principal_with_their_id(
            @ForAll("ids") String id, @ForAll("ids") String other, @ForAll @IntRange(min = 0, max = 20) int at) {
        PrincipalFacts facts = PrincipalFacts.of(Principal.builder(id).build());
        String copy = new String(id.toCharArray());
        assertThat(facts.isFor(copy)).isTrue();
        assertThat(facts.isFor(other)).isEqualTo(id.equals(other));
        if (at < id.length()) {
            char[] changed = id.toCharArray();
            changed[at] = changed[at] == 'a' ? '\u0101' : 'a';
            assertThat(facts.isFor(new String(changed))).isFalse();
        }
        assertThat(facts.isFor(id + "x")).isFalse();
        assertThat(facts.isFor(null)).isFalse();
    }

    @Test
    void an_id_beyond_latin1_never_matches_one_within_it() {
        PrincipalFacts facts =
                PrincipalFacts.of(Principal.builder("\u00ff".repeat(7) + "a").build());
        assertThat(facts.isFor("\u0100" + "\u00ff".repeat(6) + "a")).isFalse();
        assertThat(facts.isFor("\u00ff".repeat(7) + "a")).isTrue();
        PrincipalFacts all =
                PrincipalFacts.of(Principal.builder("\u00ff".repeat(8)).build());
        assertThat(all.isFor("\u0100" + "\u00ff".repeat(7))).isFalse();
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings()
                .withChars('a', 'b', 'p', '0', '1', '\u00ff', '\u0100', '\u20ac')
                .ofMinLength(1)
                .ofMaxLength(20);
    }

    static Policy policy(List<Spec> specs) {
        List<Directive> ds = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            Instant from = T0.plus(OFFSETS.get(s.from()));
            List<String> lines = new ArrayList<>();
            lines.add("effective_from: " + from);
            if (s.until() >= 0 && T0.plus(OFFSETS.get(s.until())).isAfter(from)) {
                lines.add("effective_until: " + T0.plus(OFFSETS.get(s.until())));
            }
            String caps = CAPABILITY_SCOPES.get(s.capabilities());
            lines.add(
                    "scope: {models: [" + MODEL_GLOBS.get(s.model()) + "]" + (caps.isEmpty() ? "" : ", " + caps) + "}");
            lines.add("applies_to: \"" + CONDITIONS.get(s.condition()) + "\"");
            if (s.shadow()) {
                lines.add("mode: shadow");
            }
            if (s.exempt()) {
                lines.add("exempt: {licenses: [lic-a]}");
            }
            if (i % 3 == 0) {
                lines.add("message: denied by d" + i);
            }
            ds.add(Fixtures.directive(String.format(Locale.ROOT, "d%03d", i), lines.toArray(String[]::new)));
        }
        return Fixtures.policy(ds.toArray(Directive[]::new));
    }

    static List<Instant> boundaries(Policy policy) {
        TreeSet<Instant> set = new TreeSet<>();
        for (Directive d : policy.directives()) {
            set.add(d.effectiveFrom());
            if (d.effectiveUntil() != null) {
                set.add(d.effectiveUntil());
            }
        }
        return new ArrayList<>(set);
    }

    static List<Request> requests(Policy policy, List<Ask> asks) {
        List<Instant> bs = boundaries(policy);
        List<Request> out = new ArrayList<>();
        for (Ask a : asks) {
            Instant t = bs.get(a.boundary() % bs.size()).plus(a.shift());
            out.add(new Request(
                    "r", "p", MODELS.get(a.model()), REQUESTED_CAPABILITIES.get(a.capabilities()), t, a.country(), ""));
        }
        return out;
    }

    record Reference(List<String> hits, List<String> shadow, List<String> errors, String message) {}

    /**
     * Every directive in index order: in the model's scope, in force ({@link Directive#activeAt}), in
     * the capability scope, then its conjuncts with CEL (false wins over an error, an error counts as
     * applying and is reported with the first erring conjunct, principal-only ones first), then the
     * exemption by a held license.
     */
    static Reference reference(Policy policy, Principal p, Request r) {
        List<String> hits = new ArrayList<>();
        List<String> shadow = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String message = null;
        CelValues.PrincipalValue principal = new CelValues.PrincipalValue(p);
        CelValues.RequestValue request = new CelValues.RequestValue(r);
        CelVariableResolver variables = name -> switch (name) {
            case "principal" -> Optional.of(principal);
            case "request" -> Optional.of(request);
            default -> Optional.empty();
        };
        String modelKey = ModelName.key(r.model());
        for (CompiledDirective cd : policy.compiled()) {
            Directive d = cd.directive();
            if (!cd.coversModel(modelKey) || !d.activeAt(r.time())) {
                continue;
            }
            if (!cd.allCapabilities
                    && r.capabilities().stream().noneMatch(c -> cd.coversCapability(c.toLowerCase(Locale.ROOT)))) {
                continue;
            }
            boolean excluded = false;
            String error = null;
            List<CompiledDirective.Conjunct> conjuncts = new ArrayList<>(List.of(cd.principalOnly));
            conjuncts.addAll(List.of(cd.withRequest));
            for (CompiledDirective.Conjunct c : conjuncts) {
                try {
                    Object v = c.program().eval(variables);
                    if (Boolean.FALSE.equals(v)) {
                        excluded = true;
                    } else if (!Boolean.TRUE.equals(v) && error == null) {
                        error = "expected a bool, got " + v;
                    }
                } catch (CelEvaluationException | RuntimeException e) {
                    if (error == null) {
                        error = CompiledDirective.Conjunct.message(e);
                    }
                }
            }
            if (excluded) {
                continue;
            }
            if (error != null) {
                errors.add(cd.errorLine(error));
            }
            boolean exempted = p.licenses().stream()
                    .anyMatch(l -> d.exemptLicenses().contains(l.type()) && l.covers(r.model(), r.time()));
            if (exempted) {
                continue;
            }
            if (d.mode() == Directive.Mode.SHADOW) {
                shadow.add(d.id());
            } else {
                hits.add(d.id());
                if (message == null && !d.message().isEmpty()) {
                    message = d.message();
                }
            }
        }
        return new Reference(hits, shadow, errors, message);
    }
}
