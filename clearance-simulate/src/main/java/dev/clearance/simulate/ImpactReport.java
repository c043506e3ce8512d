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
        Run run) {

    public ImpactReport {
        models = List.copyOf(models);
        capabilities = List.copyOf(capabilities);
    }

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
     * A principal who loses access, as a reviewer wants to see them: who, where from, what they lose and why.
     *
     * @param directives the draft's directives that deny them at least one model they had
     */
    public record Example(
            String id,
            String kind,
            String name,
            String organization,
            List<String> citizenships,
            String residenceCountry,
            boolean employee,
            List<String> modelsLost,
            List<String> directives) {
        public Example {
            citizenships = List.copyOf(citizenships);
            modelsLost = List.copyOf(modelsLost);
            directives = List.copyOf(directives);
        }
    }

    /**
     * Population impact. A principal is <em>losing access</em> when at least one model it may use under
     * the baseline is denied under the draft, and <em>gaining</em> in the opposite case (one principal can
     * be both). The {@code by*} maps count losing principals; a principal with several citizenships
     * counts once under each. {@code employees} counts losing principals whose attribute
     * {@code employee} is {@code "true"}.
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
            List<Example> examples) {
        public Population {
            byKind = Map.copyOf(byKind);
            byCitizenship = Map.copyOf(byCitizenship);
            byOrganization = Map.copyOf(byOrganization);
            byResidence = Map.copyOf(byResidence);
            byDirective = Map.copyOf(byDirective);
            byModel = Map.copyOf(byModel);
            examples = List.copyOf(examples);
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
