package dev.clearance.bench.decide;

import dev.clearance.core.Directive;
import dev.clearance.core.License;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import dev.clearance.core.Screening;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A deterministic, generated workload shaped like the example directives: model-scoped U.S.-person
 * restrictions with license exemptions, sanctioned-location checks, capability-scoped, shadow,
 * attribute, time-window, organisation and screening directives over several model families;
 * principals with realistic shares of citizenships, permanent residents, protected individuals,
 * organisations and licenses; and mixed requests. The same seed gives the same workload, so every
 * engine (and every JMH fork) sees exactly the same directives, principals and requests.
 */
public final class Workload {
    /** Generated directive: the directive as the core reads it and its condition for the other engines. */
    public record GeneratedDirective(Directive directive, Condition condition) {}

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final Instant REQUESTS_FROM = Instant.parse("2026-11-10T00:00:00Z");
    static final Instant REQUESTS_UNTIL = Instant.parse("2026-12-10T00:00:00Z");

    static final Map<String, List<String>> FAMILIES = new LinkedHashMap<>();

    static {
        FAMILIES.put("frontier-x", List.of("frontier-x-1", "frontier-x-2", "frontier-x-mini"));
        FAMILIES.put("frontier-y", List.of("frontier-y-1", "frontier-y-2"));
        FAMILIES.put("frontier-z", List.of("frontier-z-pro"));
        FAMILIES.put("chat-m", List.of("chat-m-1", "chat-m-2"));
        FAMILIES.put("code-c", List.of("code-c-1", "code-c-2"));
        FAMILIES.put("open-a", List.of("open-a-7b", "open-a-70b"));
        FAMILIES.put("vision-v", List.of("vision-v-1"));
        FAMILIES.put("bio-b", List.of("bio-b-1"));
        FAMILIES.put("speech-s", List.of("speech-s-1"));
        FAMILIES.put("embed-e", List.of("embed-e-small"));
    }

    /** Request share per family, in {@link #FAMILIES} order: frontier and chat models carry most traffic. */
    private static final double[] FAMILY_TRAFFIC = {0.22, 0.12, 0.06, 0.20, 0.14, 0.09, 0.06, 0.02, 0.04, 0.05};

    /** Every capability a request can carry; Cedar needs globs expanded over it (see {@link CedarEngine}). */
    public static final List<String> CAPABILITIES = List.of(
            "chat",
            "code",
            "vision",
            "tool-use",
            "long-context",
            "fine-tune",
            "offensive-cyber",
            "offensive-cyber-exploit",
            "bio-design",
            "chem-synthesis",
            "chem-synthesis-route");

    private static final List<String> SANCTIONED = List.of("CU", "IR", "KP", "SY", "RU", "BY", "VE", "MM", "AF", "SD");
    private static final List<String> D5 = List.of("CN", "RU", "IR", "KP", "VE", "BY", "MM", "SY");
    private static final String[] FOREIGN = {
        "IN", "CN", "GB", "CA", "DE", "FR", "BR", "JP", "KR", "MX", "NG", "RU", "IR", "IL", "VN", "PH", "UA", "TR",
        "PK", "VE", "BY", "ES", "IT", "AU", "SG"
    };
    /** Request locations: mostly the U.S., a long tail, some sanctioned, some unknown (empty). */
    private static final String[] LOCATIONS = {
        "US", "US", "US", "US", "US", "US", "US", "US", "US", "US", "CA", "GB", "DE", "FR", "IN", "IN", "CN", "JP",
        "BR", "MX", "KR", "SG", "AU", "IL", "RU", "IR", "CU", "KP", "SY", "VE", "BY", "", ""
    };

    private static final String[] LICENSE_TYPES = {
        "deemed-export-license", "deemed-export-license", "deemed-export-license", "ear-license-5d002", "tsa-exception"
    };
    private static final String[] ATTRIBUTE_KEYS = {"employee", "visa", "program", "department", "customer_tier"};
    private static final String[][] ATTRIBUTE_VALUES = {
        {"true", "false"},
        {"H-1B", "F-1", "L-1", "O-1"},
        {"p1", "p2", "p3", "p4", "p5", "p6", "p7"},
        {"research", "sales", "security", "support"},
        {"free", "pro", "enterprise"}
    };
    static final int ORGANIZATIONS = 500;

    private Workload() {}

    /** {@code count} directives; the first four are the examples' shapes. */
    public static List<GeneratedDirective> directives(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> families = new ArrayList<>(FAMILIES.keySet());
        List<GeneratedDirective> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format("gen-%03d", i);
            double kind = rnd.nextDouble();
            Instant from = effectiveFrom(rnd);
            Instant until = rnd.nextDouble() < 0.12
                    ? pick(
                            rnd,
                            List.of(
                                    Instant.parse("2026-11-20T00:00:00Z"),
                                    Instant.parse("2026-12-01T00:00:00Z"),
                                    Instant.parse("2026-11-26T12:00:00Z")))
                    : null;
            if (until != null && !until.isAfter(from)) {
                until = null;
            }
            List<String> models = modelScope(rnd, families);
            List<String> capabilities = List.of("*");
            List<String> exempt = List.of();
            Directive.Mode mode = Directive.Mode.ENFORCE;
            Condition c;
            String title;
            if (kind < 0.30) {
                title = "Restrict " + models + " to U.S. persons";
                c = rnd.nextDouble() < 0.8
                        ? new Condition.NotUsPerson()
                        : new Condition.All(
                                List.of(new Condition.NotUsPerson(), new Condition.IdentityAssuranceBelow(3)));
                double e = rnd.nextDouble();
                exempt = e < 0.7
                        ? List.of("deemed-export-license")
                        : e < 0.9 ? List.of("deemed-export-license", "ear-license-5d002") : List.of();
            } else if (kind < 0.42) {
                title = "No access from sanctioned locations";
                models = rnd.nextDouble() < 0.3 ? List.of("*") : models;
                c = new Condition.CountryIn(sample(rnd, SANCTIONED, 2 + rnd.nextInt(4)));
            } else if (kind < 0.54) {
                title = "Capability restricted";
                models = rnd.nextDouble() < 0.4 ? List.of("*") : models;
                capabilities = pick(
                        rnd,
                        List.of(
                                List.of("offensive-cyber*"),
                                List.of("bio-design"),
                                List.of("chem-synthesis*"),
                                List.of("offensive-cyber*", "bio-design")));
                c = rnd.nextBoolean()
                        ? new Condition.Any(
                                List.of(new Condition.NotUsPerson(), new Condition.IdentityAssuranceBelow(2)))
                        : new Condition.IdentityAssuranceBelow(2 + rnd.nextInt(2));
            } else if (kind < 0.64) {
                title = "Proposed rule (shadow)";
                mode = Directive.Mode.SHADOW;
                c = rnd.nextDouble() < 0.7
                        ? new Condition.All(List.of(
                                new Condition.CitizenOfAny(sample(rnd, D5, 3 + rnd.nextInt(4))),
                                new Condition.NotUsPerson()))
                        : new Condition.All(List.of(
                                new Condition.NotUsPerson(),
                                new Condition.CountryIn(sample(rnd, List.of(FOREIGN), 3))));
            } else if (kind < 0.80) {
                title = "Attribute-based restriction";
                int k = rnd.nextInt(ATTRIBUTE_KEYS.length);
                Condition attr =
                        new Condition.AttributeEquals(ATTRIBUTE_KEYS[k], pick(rnd, List.of(ATTRIBUTE_VALUES[k])));
                c = switch (rnd.nextInt(3)) {
                    case 0 -> new Condition.All(List.of(attr, new Condition.NotUsPerson()));
                    case 1 ->
                        new Condition.All(List.of(attr, new Condition.CountryIn(sample(rnd, List.of(FOREIGN), 4))));
                    default -> attr;
                };
                exempt = rnd.nextDouble() < 0.3 ? List.of("deemed-export-license") : List.of();
            } else if (kind < 0.88) {
                title = "Time-boxed restriction";
                Instant start = REQUESTS_FROM.plus(Duration.ofDays(rnd.nextInt(20)));
                c = new Condition.All(List.of(
                        new Condition.RequestTimeIn(start, start.plus(Duration.ofDays(1 + rnd.nextInt(10)))),
                        new Condition.OrganizationIn(sample(rnd, organizations(), 3 + rnd.nextInt(5)))));
            } else if (kind < 0.95) {
                title = "Entity restriction";
                c = rnd.nextBoolean()
                        ? new Condition.IncorporatedIn(sample(rnd, D5, 3))
                        : new Condition.All(
                                List.of(new Condition.ResidentIn(sample(rnd, D5, 4)), new Condition.NotUsPerson()));
            } else {
                title = "Restricted-party screening";
                c = new Condition.ScreeningIs(
                        rnd.nextBoolean() ? Screening.CONFIRMED_MATCH : Screening.POTENTIAL_MATCH);
            }
            Directive d = new Directive(
                    id,
                    title,
                    "generated for the decision benchmark",
                    "",
                    from,
                    until,
                    models,
                    capabilities,
                    c.cel(),
                    Directive.Effect.DENY,
                    exempt,
                    mode,
                    mode == Directive.Mode.SHADOW ? "" : "Denied by " + id + ".",
                    Directive.Source.of("generated/" + id + ".yaml"));
            out.add(new GeneratedDirective(d, c));
        }
        return out;
    }

    /**
     * Directives of shapes beyond {@link #directives}' (core only: no Cedar or Casbin rendering), in
     * equal shares: a negated conjunction with a license exemption; an unguarded attribute read that
     * errors for the principals without the key (about two in three; fail closed); literal
     * {@code true} scoped to a capability; {@code has()} with a string function; {@code exists} and
     * {@code all} over citizenships; request-time arithmetic with a duration and a calendar field;
     * string functions on principal fields with a timestamp plus a duration.
     */
    public static List<Directive> shapeDirectives(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5a5e5L);
        List<String> families = new ArrayList<>(FAMILIES.keySet());
        List<Directive> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format("shape-%03d", i);
            List<String> models = modelScope(rnd, families);
            List<String> capabilities = List.of("*");
            List<String> exempt = List.of();
            String cel = switch (i % 7) {
                case 0 -> {
                    exempt = List.of("deemed-export-license");
                    yield "!(principal.us_person && principal.identity_assurance >= " + (1 + rnd.nextInt(3)) + ")";
                }
                case 1 -> {
                    int k = rnd.nextInt(ATTRIBUTE_KEYS.length);
                    yield "principal.attributes['" + ATTRIBUTE_KEYS[k] + "'] != '"
                            + pick(rnd, List.of(ATTRIBUTE_VALUES[k])) + "'";
                }
                case 2 -> {
                    capabilities = List.of(pick(rnd, List.of("offensive-cyber*", "bio-design", "chem-synthesis*")));
                    yield "true";
                }
                case 3 ->
                    "has(principal.attributes.department) && principal.attributes['department'].startsWith('"
                            + pick(rnd, List.of("sec", "res", "sa")) + "')";
                case 4 ->
                    "principal.citizenships.exists(c, c in " + quoted(sample(rnd, D5, 3))
                            + ") && !principal.citizenships.all(c, c == 'US')";
                case 5 ->
                    "request.time - timestamp('2026-11-10T00:00:00Z') > duration('" + (24 * rnd.nextInt(30))
                            + "h') && request.time.getHours() < " + rnd.nextInt(24);
                default ->
                    "principal.organization.endsWith('" + rnd.nextInt(10) + "') && request.time > timestamp('"
                            + "2026-11-20T00:00:00Z') + duration('" + rnd.nextInt(200) + "h30m')";
            };
            out.add(new Directive(
                    id,
                    "Generated shape " + (i % 7),
                    "generated for the decision benchmark",
                    "",
                    effectiveFrom(rnd),
                    null,
                    models,
                    capabilities,
                    cel,
                    Directive.Effect.DENY,
                    exempt,
                    Directive.Mode.ENFORCE,
                    "",
                    Directive.Source.of("generated/" + id + ".yaml")));
        }
        return out;
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "'" + v + "'").collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    private static Instant effectiveFrom(SplittableRandom rnd) {
        double r = rnd.nextDouble();
        if (r < 0.75) {
            return Instant.parse("2024-01-01T00:00:00Z").plus(Duration.ofDays(rnd.nextInt(600)));
        }
        if (r < 0.95) { // recent: takes effect inside the request window, on a whole minute
            return REQUESTS_FROM.plus(Duration.ofMinutes(rnd.nextInt(30 * 24 * 60)));
        }
        return Instant.parse("2027-03-01T00:00:00Z"); // scheduled, not yet in force
    }

    private static List<String> modelScope(SplittableRandom rnd, List<String> families) {
        double r = rnd.nextDouble();
        if (r < 0.55) {
            return List.of(pick(rnd, families) + "*");
        }
        if (r < 0.75) {
            return List.of(pick(rnd, families) + "*", pick(rnd, families) + "*");
        }
        if (r < 0.9) {
            return List.of(pick(rnd, FAMILIES.get(pick(rnd, families))));
        }
        return List.of("frontier-*");
    }

    static List<String> organizations() {
        List<String> l = new ArrayList<>(ORGANIZATIONS);
        for (int i = 0; i < ORGANIZATIONS; i++) {
            l.add("org-" + i);
        }
        return l;
    }

    /** Principal number {@code i}: a pure function of (i, seed), so engines can build their views independently. */
    public static Principal principal(int i, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        String id = "p" + i;
        if (rnd.nextDouble() < 0.08) {
            String inc = rnd.nextDouble() < 0.7 ? "US" : FOREIGN[rnd.nextInt(FOREIGN.length)];
            return new Principal(
                    id,
                    Principal.Kind.ORGANIZATION,
                    "",
                    List.of(),
                    "",
                    false,
                    inc,
                    inc,
                    "",
                    1 + rnd.nextInt(3),
                    licenses(rnd, 0.05),
                    attributes(rnd),
                    screening(rnd),
                    Screening.NOT_SCREENED);
        }
        double c = rnd.nextDouble();
        List<String> citizenships;
        if (c < 0.55) {
            citizenships = List.of("US");
        } else if (c < 0.60) {
            citizenships = List.of(FOREIGN[rnd.nextInt(FOREIGN.length)], "US"); // dual citizens
        } else if (c < 0.96) {
            citizenships = List.of(FOREIGN[rnd.nextInt(FOREIGN.length)]);
        } else {
            String a = FOREIGN[rnd.nextInt(FOREIGN.length)];
            String b = FOREIGN[rnd.nextInt(FOREIGN.length)];
            citizenships = a.equals(b) ? List.of(a) : List.of(a, b);
        }
        boolean foreign = !citizenships.contains("US");
        String lpr = foreign && rnd.nextDouble() < 0.10 ? "US" : "";
        boolean protectedIndividual = foreign && rnd.nextDouble() < 0.02;
        String residence = !foreign || rnd.nextDouble() < 0.5 ? "US" : citizenships.get(0);
        String org = rnd.nextDouble() < 0.7 ? "org-" + zipf(rnd, ORGANIZATIONS) : "";
        double ial = rnd.nextDouble();
        int identityAssurance = ial < 0.10 ? 0 : ial < 0.40 ? 1 : ial < 0.85 ? 2 : 3;
        return new Principal(
                id,
                Principal.Kind.PERSON,
                "",
                citizenships,
                lpr,
                protectedIndividual,
                residence,
                "",
                org,
                identityAssurance,
                licenses(rnd, foreign ? 0.15 : 0.01),
                attributes(rnd),
                screening(rnd),
                org.isEmpty() ? Screening.NOT_SCREENED : new Screening(Screening.CLEAR, List.of(), 0.0));
    }

    private static List<License> licenses(SplittableRandom rnd, double share) {
        if (rnd.nextDouble() >= share) {
            return List.of();
        }
        int n = 1 + (rnd.nextDouble() < 0.2 ? 1 : 0);
        List<License> l = new ArrayList<>(n);
        List<String> families = new ArrayList<>(FAMILIES.keySet());
        for (int k = 0; k < n; k++) {
            Instant from = Instant.parse("2025-06-01T00:00:00Z").plus(Duration.ofDays(rnd.nextInt(540)));
            Instant until = from.plus(Duration.ofDays(90 + rnd.nextInt(700)));
            List<String> models = rnd.nextDouble() < 0.5 ? List.of() : List.of(pick(rnd, families) + "*");
            l.add(new License(
                    "lic-" + rnd.nextInt(1_000_000),
                    LICENSE_TYPES[rnd.nextInt(LICENSE_TYPES.length)],
                    models,
                    from,
                    until));
        }
        return l;
    }

    private static Map<String, String> attributes(SplittableRandom rnd) {
        int n = rnd.nextInt(4);
        if (n == 0) {
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int k = 0; k < n; k++) {
            int key = rnd.nextInt(ATTRIBUTE_KEYS.length);
            m.put(ATTRIBUTE_KEYS[key], ATTRIBUTE_VALUES[key][rnd.nextInt(ATTRIBUTE_VALUES[key].length)]);
        }
        return m;
    }

    private static Screening screening(SplittableRandom rnd) {
        double s = rnd.nextDouble();
        if (s < 0.001) {
            return new Screening(Screening.CONFIRMED_MATCH, List.of("SDN"), 0.97);
        }
        if (s < 0.006) {
            return new Screening(Screening.POTENTIAL_MATCH, List.of("Entity List"), 0.86);
        }
        return s < 0.6 ? new Screening(Screening.CLEAR, List.of(), 0.0) : Screening.NOT_SCREENED;
    }

    /**
     * {@code count} requests from principals drawn uniformly from {@code principals}: mixed models
     * (weighted by family traffic), locations, capabilities and times, some exactly on a directive's
     * effective boundary.
     */
    public static Request[] requests(int count, int principals, List<GeneratedDirective> directives, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<String> families = new ArrayList<>(FAMILIES.keySet());
        long span = REQUESTS_UNTIL.toEpochMilli() - REQUESTS_FROM.toEpochMilli();
        Request[] out = new Request[count];
        for (int i = 0; i < count; i++) {
            double f = rnd.nextDouble();
            int fam = 0;
            for (double acc = FAMILY_TRAFFIC[0];
                    acc < f && fam < FAMILY_TRAFFIC.length - 1;
                    acc += FAMILY_TRAFFIC[++fam]) {
                // walk the cumulative shares
            }
            String model = pick(rnd, FAMILIES.get(families.get(fam)));
            double cap = rnd.nextDouble();
            List<String> capabilities = cap < 0.65
                    ? List.of()
                    : cap < 0.90
                            ? List.of(CAPABILITIES.get(rnd.nextInt(6)))
                            : cap < 0.97
                                    ? List.of(CAPABILITIES.get(rnd.nextInt(6)), CAPABILITIES.get(6 + rnd.nextInt(5)))
                                    : List.of(CAPABILITIES.get(6 + rnd.nextInt(5)));
            Instant time = rnd.nextDouble() < 0.01
                    ? directives.get(rnd.nextInt(directives.size())).directive().effectiveFrom()
                    : Instant.ofEpochMilli(REQUESTS_FROM.toEpochMilli() + (long) (rnd.nextDouble() * span));
            String country = LOCATIONS[rnd.nextInt(LOCATIONS.length)];
            out[i] = new Request("r" + i, "p" + rnd.nextInt(principals), model, capabilities, time, country, "");
        }
        return out;
    }

    /** Index of the principal a request names ({@code p<i>}). */
    public static int principalIndex(Request r) {
        return Integer.parseInt(r.principal(), 1, r.principal().length(), 10);
    }

    /**
     * License types the principal holds that are valid at the request time and cover its model. The
     * core checks exemptions itself; Cedar and Casbin cannot quantify over a set of records, so their
     * adapters pass this set in the request (and pay for computing it in the measured call).
     */
    public static Set<String> licenseTypesInForce(Principal p, Request r) {
        if (p.licenses().isEmpty()) {
            return Set.of();
        }
        Set<String> s = new LinkedHashSet<>(2);
        for (License l : p.licenses()) {
            if (l.covers(r.model(), r.time())) {
                s.add(l.type());
            }
        }
        return s;
    }

    private static int zipf(SplittableRandom rnd, int n) {
        // Inverse-CDF of a 1/x law: a few large organisations, a long tail of small ones.
        return (int) Math.min(n - 1, Math.floor(Math.pow(n + 1, rnd.nextDouble())) - 1);
    }

    private static <T> T pick(SplittableRandom rnd, List<T> l) {
        return l.get(rnd.nextInt(l.size()));
    }

    private static List<String> sample(SplittableRandom rnd, List<String> from, int n) {
        List<String> pool = new ArrayList<>(from);
        List<String> out = new ArrayList<>(n);
        for (int k = 0; k < n && !pool.isEmpty(); k++) {
            out.add(pool.remove(rnd.nextInt(pool.size())));
        }
        return out;
    }
}
