package dev.clearance.simulate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What switching from a baseline policy to a draft would change: over recorded traffic (each request
 * decided under both) and over the principal population (every principal against every model at one
 * instant). Immutable; rendered by {@link ReportJson}, {@link ReportText} and {@link ReportHtml}.
 *
 * @param at     the instant the population was evaluated at
 * @param models the models the population was evaluated against, sorted
 */
public record ImpactReport(
        String baselinePolicyVersion,
        String draftPolicyVersion,
        Instant at,
        List<String> models,
        List<String> capabilities,
        Traffic requests,
        Population principals,
        Run run,
        List<PolicyDirective> baselineDirectives,
        List<PolicyDirective> draftDirectives) {

    public ImpactReport {
        models = List.copyOf(models);
        capabilities = List.copyOf(capabilities);
        baselineDirectives = List.copyOf(baselineDirectives);
        draftDirectives = List.copyOf(draftDirectives);
    }

    /**
     * A directive of one of the two policies, as the people who sign off name it: its id, title, legal
     * authority and mode ({@code enforce} or {@code shadow}).
     */
    public record PolicyDirective(String id, String title, String authority, String mode) {}

    /**
     * Decisions over one slice of traffic (all of it, one model, one country or one time bucket).
     * A request is in exactly one of the four classes: allowed under both, denied under both,
     * newly denied (allowed by the baseline, denied by the draft) or newly allowed.
     */
    public record Counts(long total, long baselineDenied, long draftDenied, long newlyDenied, long newlyAllowed) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

        public long unchanged() {
            return total - newlyDenied - newlyAllowed;
        }

        public long deniedUnderBoth() {
            return draftDenied - newlyDenied;
        }

        public long allowedUnderBoth() {
            return total - deniedUnderBoth() - newlyDenied - newlyAllowed;
        }
    }

    /**
     * One enforce-mode directive of the draft, over the traffic.
     *
     * @param newlyDenied requests it denies under the draft that the baseline allowed
     * @param denied      requests it denies under the draft (with or without other directives)
     * @param shadowHits  requests it would deny under the draft if it were enforced (shadow mode)
     */
    public record DirectiveTraffic(long newlyDenied, long denied, long shadowHits) {}

    /** Traffic impact; {@code unknownPrincipals} counts requests whose principal is not in the population (denied under both). */
    public record Traffic(
            Counts totals,
            long unknownPrincipals,
            Map<String, DirectiveTraffic> byDirective,
            Map<String, Counts> byModel,
            Map<String, Counts> byCountry,
            List<TimeBucket> overTime) {
        public Traffic {
            byDirective = Map.copyOf(byDirective);
            byModel = Map.copyOf(byModel);
            byCountry = Map.copyOf(byCountry);
            overTime = List.copyOf(overTime);
        }
    }

    /** Traffic in {@code [start, start + width)}. */
    public record TimeBucket(Instant start, java.time.Duration width, Counts counts) {}

    /**
     * Principals against one model: how many may use it under each policy, and how many lose or gain it.
     */
    public record ModelAccess(long allowedBaseline, long allowedDraft, long losing, long gaining) {}

    /**
     * A principal named in the report, as a reviewer wants to see them: who, where from, which models
     * and why. In {@link Population#examples} (losing access): the models lost and the draft's
     * directives that deny them; in {@link Population#gaining}: the models gained and the baseline's
     * directives that denied them; in {@link Population#withoutAccessExamples}: the models the draft
     * denies them and the directives that do.
     */
    public record Example(
            String id,
            String kind,
            String name,
            String organization,
            List<String> citizenships,
            String residenceCountry,
            boolean employee,
            List<String> models,
            List<String> directives) {
        public Example {
            citizenships = List.copyOf(citizenships);
            models = List.copyOf(models);
            directives = List.copyOf(directives);
        }
    }

    /**
     * Population impact. A principal is <em>losing access</em> when at least one model it may use under
     * the baseline is denied under the draft, and <em>gaining</em> in the opposite case (one principal can
     * be both). The {@code by*} maps count losing principals; a principal with several citizenships
     * counts once under each. {@code employees} counts losing principals whose attribute
     * {@code employee} is {@code "true"}. {@code withoutAccess} counts the principals the draft denies
     * at least one of the models (whether they had it or not): who still lacks it. The three lists
     * name the first principals of each kind in population order, up to the simulation's limit.
     */
    public record Population(
            long total,
            long losingAccess,
            long gainingAccess,
            Map<String, Long> byKind,
            Map<String, Long> byCitizenship,
            Map<String, Long> byOrganization,
            Map<String, Long> byResidence,
            Map<String, Long> byDirective,
            long employees,
            Map<String, ModelAccess> byModel,
            List<Example> examples,
            List<Example> gaining,
            long withoutAccess,
            List<Example> withoutAccessExamples) {
        public Population {
            byKind = Map.copyOf(byKind);
            byCitizenship = Map.copyOf(byCitizenship);
            byOrganization = Map.copyOf(byOrganization);
            byResidence = Map.copyOf(byResidence);
            byDirective = Map.copyOf(byDirective);
            byModel = Map.copyOf(byModel);
            examples = List.copyOf(examples);
            gaining = List.copyOf(gaining);
            withoutAccessExamples = List.copyOf(withoutAccessExamples);
        }
    }

    /**
     * How the run went (not part of the impact): decisions made, wall time and CPU time (summed over
     * the simulation's threads) of each pass. CPU time stays meaningful on a shared machine.
     */
    public record Run(
            long decisions,
            long trafficMillis,
            long populationMillis,
            long trafficCpuMillis,
            long populationCpuMillis,
            int workers) {}
}
