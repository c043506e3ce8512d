package dev.clearance.bench.decide;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A generated directive condition, written once and rendered into each engine's language, so the
 * three engines in the benchmark are given the same rule rather than three hand translations.
 * Every shape here is one the example directives use; attribute reads are always guarded, so no
 * condition raises an evaluation error (Cedar would skip an erroring forbid, i.e. fail open).
 */
sealed interface Condition {
    /** The {@code applies_to} CEL text. A top-level {@link All} is rendered without parentheses so the core can split it. */
    String cel();

    /** A Cedar boolean expression over {@code principal} (entity attributes) and {@code context}. */
    String cedar();

    /** A jCasbin {@code eval()} rule over {@code r.sub} and the request fields (see {@link CasbinEngine}). */
    String casbin();

    record NotUsPerson() implements Condition {
        public String cel() {
            return "!principal.us_person";
        }

        public String cedar() {
            return "!principal.us_person";
        }

        public String casbin() {
            return "!r.sub.usPerson";
        }
    }

    record IdentityAssuranceBelow(int level) implements Condition {
        public String cel() {
            return "principal.identity_assurance < " + level;
        }

        public String cedar() {
            return "principal.identity_assurance < " + level;
        }

        public String casbin() {
            return "r.sub.identityAssurance < " + level;
        }
    }

    /** Request location in a list (sanctioned locations). */
    record CountryIn(List<String> countries) implements Condition {
        public String cel() {
            return "request.country in " + celList(countries);
        }

        public String cedar() {
            return cedarList(countries) + ".contains(context.country)";
        }

        public String casbin() {
            return "include(tuple" + casbinTuple(countries) + ", r.country)";
        }
    }

    record CitizenOfAny(List<String> countries) implements Condition {
        public String cel() {
            return "principal.citizenships.exists(c, c in " + celList(countries) + ")";
        }

        public String cedar() {
            return "principal.citizenships.containsAny(" + cedarList(countries) + ")";
        }

        public String casbin() {
            return "containsAny(r.sub.citizenships, tuple" + casbinTuple(countries) + ")";
        }
    }

    /** A guarded attribute check: absent key means false, never an error. */
    record AttributeEquals(String key, String value) implements Condition {
        public String cel() {
            return "('" + key + "' in principal.attributes && principal.attributes['" + key + "'] == '" + value + "')";
        }

        public String cedar() {
            return "(principal.attributes has \"" + key + "\" && principal.attributes[\"" + key + "\"] == \"" + value
                    + "\")";
        }

        public String casbin() {
            return "attribute(r.sub.attributes, '" + key + "') == '" + value + "'";
        }
    }

    record OrganizationIn(List<String> organizations) implements Condition {
        public String cel() {
            return "principal.organization in " + celList(organizations);
        }

        public String cedar() {
            return cedarList(organizations) + ".contains(principal.organization)";
        }

        public String casbin() {
            return "include(tuple" + casbinTuple(organizations) + ", r.sub.organization)";
        }
    }

    record IncorporatedIn(List<String> countries) implements Condition {
        public String cel() {
            return "(principal.kind == 'organization' && principal.incorporated_in in " + celList(countries) + ")";
        }

        public String cedar() {
            return "(principal.kind == \"organization\" && " + cedarList(countries)
                    + ".contains(principal.incorporated_in))";
        }

        public String casbin() {
            return "(r.sub.kind == 'organization' && include(tuple" + casbinTuple(countries)
                    + ", r.sub.incorporatedIn))";
        }
    }

    record ResidentIn(List<String> countries) implements Condition {
        public String cel() {
            return "principal.residence_country in " + celList(countries);
        }

        public String cedar() {
            return cedarList(countries) + ".contains(principal.residence_country)";
        }

        public String casbin() {
            return "include(tuple" + casbinTuple(countries) + ", r.sub.residenceCountry)";
        }
    }

    record ScreeningIs(String status) implements Condition {
        public String cel() {
            return "principal.screening.status == '" + status + "'";
        }

        public String cedar() {
            return "principal.screening.status == \"" + status + "\"";
        }

        public String casbin() {
            return "r.sub.screeningStatus == '" + status + "'";
        }
    }

    /** A window on the request time inside the condition (a campaign, an embargo period). */
    record RequestTimeIn(Instant from, Instant until) implements Condition {
        public String cel() {
            return "(request.time >= timestamp('" + from + "') && request.time < timestamp('" + until + "'))";
        }

        public String cedar() {
            return "(context.time >= " + from.toEpochMilli() + " && context.time < " + until.toEpochMilli() + ")";
        }

        public String casbin() {
            return "(r.time >= " + from.toEpochMilli() + " && r.time < " + until.toEpochMilli() + ")";
        }
    }

    record All(List<Condition> parts) implements Condition {
        public String cel() {
            return parts.stream().map(Condition::cel).collect(Collectors.joining(" && "));
        }

        public String cedar() {
            return "(" + parts.stream().map(Condition::cedar).collect(Collectors.joining(" && ")) + ")";
        }

        public String casbin() {
            return "(" + parts.stream().map(Condition::casbin).collect(Collectors.joining(" && ")) + ")";
        }
    }

    record Any(List<Condition> parts) implements Condition {
        public String cel() {
            return "(" + parts.stream().map(Condition::cel).collect(Collectors.joining(" || ")) + ")";
        }

        public String cedar() {
            return "(" + parts.stream().map(Condition::cedar).collect(Collectors.joining(" || ")) + ")";
        }

        public String casbin() {
            return "(" + parts.stream().map(Condition::casbin).collect(Collectors.joining(" || ")) + ")";
        }
    }

    private static String celList(List<String> l) {
        return l.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    private static String cedarList(List<String> l) {
        return l.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    /** Casbin's tuple literal; {@code include(tuple(...), x)} is what jCasbin rewrites {@code x in (...)} to (the rewrite does not reach eval rules). */
    private static String casbinTuple(List<String> l) {
        return l.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ", "(", ")"));
    }
}
