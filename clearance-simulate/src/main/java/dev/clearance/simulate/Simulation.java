package dev.clearance.simulate;

import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Directive;
import dev.clearance.core.ModelName;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs {@link DecisionPoint#outcome} — the function the gateway enforces with ({@link DecisionPoint#decide}),
 * without the messages and error lines a count never reads — under a baseline and a draft policy, over recorded traffic and over the whole principal population, and reports what the
 * draft would change.
 *
 * <p>Two passes over one {@link WorkerPool} (one worker per core): the {@link TrafficPass} streams the
 * traffic — a reader thread cuts the JSON Lines file into chunks of whole lines ({@link ChunkReader}),
 * the workers parse and decide them into private tallies, merged at the end; then the
 * {@link PopulationPass} splits the principals between the same workers. Memory is bounded by the
 * population ({@link PopulationFacts}: each principal's facts, once per policy so their memos never
 * thrash), never by the traffic.
 *
 * <p>The population pass asks, for every principal and model: may this principal use the model at
 * {@code at}, with the configured capabilities (none by default) and from an unknown location? So it
 * measures who-based restrictions; where-based ones (request country) show in the traffic.
 */
public final class Simulation {
    private final Policy baseline;
    private final Policy draft;
    private final Instant at;
    private final List<String> models;
    private final List<String> capabilities;
    private final int workers;
    private final Progress progress;
    private final int names;

    /** How many principals each list of the report names, unless {@link #names} says otherwise. */
    public static final int DEFAULT_NAMES = 25;

    private Simulation(
            Policy baseline,
            Policy draft,
            Instant at,
            List<String> models,
            List<String> capabilities,
            int workers,
            Progress progress,
            int names) {
        this.baseline = baseline;
        this.draft = draft;
        this.at = at;
        this.models = models;
        this.capabilities = capabilities;
        this.workers = workers;
        this.progress = progress;
        this.names = names;
    }

    /** A simulation of switching from {@code baseline} to {@code draft}, at the current time, over every core. */
    public static Simulation of(Policy baseline, Policy draft) {
        return new Simulation(
                baseline,
                draft,
                Instant.now(),
                null,
                List.of(),
                Math.max(1, Runtime.getRuntime().availableProcessors()),
                Progress.NONE,
                DEFAULT_NAMES);
    }

    /** The instant the population is evaluated at (requests keep their own times). */
    public Simulation at(Instant instant) {
        return new Simulation(baseline, draft, instant, models, capabilities, workers, progress, names);
    }

    /** The models the population is evaluated against; {@code null} for {@link #defaultModels}. */
    public Simulation models(List<String> list) {
        return new Simulation(
                baseline, draft, at, list == null ? null : List.copyOf(list), capabilities, workers, progress, names);
    }

    /** The capabilities each population request asks for (none by default: the model as a whole). */
    public Simulation capabilities(List<String> list) {
        return new Simulation(baseline, draft, at, models, List.copyOf(list), workers, progress, names);
    }

    public Simulation workers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        return new Simulation(baseline, draft, at, models, capabilities, n, progress, names);
    }

    /** How many principals each list of the report names (losing, gaining, without access); default 25. */
    public Simulation names(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("the number of principals to name must be at least 0");
        }
        return new Simulation(baseline, draft, at, models, capabilities, workers, progress, limit);
    }

    public Simulation progress(Progress p) {
        return new Simulation(baseline, draft, at, models, capabilities, workers, p, names);
    }

    /**
     * Every model named literally in either policy's scopes, plus every model seen in the traffic that
     * a scope glob of either policy matches (a glob names no model by itself). Sorted.
     */
    public static List<String> defaultModels(Policy baseline, Policy draft, Set<String> trafficModels) {
        Set<String> out = new TreeSet<>();
        List<String> globs = new ArrayList<>();
        for (Policy p : List.of(baseline, draft)) {
            for (Directive d : p.directives()) {
                for (String g : d.models()) {
                    if (g.indexOf('*') < 0) {
                        out.add(g);
                    } else {
                        globs.add(g);
                    }
                }
            }
        }
        for (String m : trafficModels) {
            for (String g : globs) {
                if (ModelName.matches(g, m)) {
                    out.add(m);
                    break;
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Runs both passes. Bad traffic fails the whole run (fail closed: an impact report over part of
     * the input would understate the impact) with every problem located at its file and line.
     */
    public ImpactReport run(List<Principal> principals, Traffic traffic) throws PolicyException, IOException {
        WorkerPool pool = new WorkerPool(workers);
        PopulationFacts facts = PopulationFacts.of(principals, baseline, draft, pool);
        pool.takeCpuNanos(); // the passes are measured, not the preparation

        long t0 = System.nanoTime();
        TrafficTally requests = new TrafficPass(baseline, draft, facts, pool, progress).run(traffic);
        long t1 = System.nanoTime();
        long trafficCpu = pool.takeCpuNanos();
        List<String> modelList = models != null ? models : defaultModels(baseline, draft, requests.byModel.keySet());
        PopulationTally population = new PopulationPass(baseline, draft, at, capabilities, facts, pool, progress, names)
                .run(principals, modelList);
        long t2 = System.nanoTime();
        long populationCpu = pool.takeCpuNanos();

        long decisions = 2 * (requests.totals[0] + (long) principals.size() * modelList.size());
        return new ImpactReport(
                baseline.version(),
                draft.version(),
                at,
                modelList,
                capabilities,
                requests.toReport(),
                population.toReport(modelList),
                new ImpactReport.Run(
                        decisions,
                        (t1 - t0) / 1_000_000,
                        (t2 - t1) / 1_000_000,
                        trafficCpu / 1_000_000,
                        populationCpu / 1_000_000,
                        workers),
                summaries(baseline),
                summaries(draft));
    }

    private static List<ImpactReport.PolicyDirective> summaries(Policy policy) {
        return policy.directives().stream()
                .map(d -> new ImpactReport.PolicyDirective(
                        d.id(), d.title(), d.authority(), d.mode().wireName()))
                .toList();
    }
}
