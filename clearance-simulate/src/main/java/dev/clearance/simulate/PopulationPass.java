package dev.clearance.simulate;

import dev.clearance.core.Decision;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Policy;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Asks, for every principal and model: may this principal use the model at {@code at}, with the
 * configured capabilities and from an unknown location — under the baseline and under the draft.
 * The principals are split between the pool's workers, each into its own {@link PopulationTally}.
 */
final class PopulationPass {
    private static final String REQUEST_ID = "simulated";

    private final Policy baseline;
    private final Policy draft;
    private final Instant at;
    private final List<String> capabilities;
    private final PopulationFacts facts;
    private final WorkerPool pool;
    private final Progress progress;
    private final int names;

    PopulationPass(
            Policy baseline,
            Policy draft,
            Instant at,
            List<String> capabilities,
            PopulationFacts facts,
            WorkerPool pool,
            Progress progress,
            int names) {
        this.baseline = baseline;
        this.draft = draft;
        this.at = at;
        this.capabilities = capabilities;
        this.facts = facts;
        this.pool = pool;
        this.progress = progress;
        this.names = names;
    }

    PopulationTally run(List<Principal> principals, List<String> models) {
        progress.phase("principals", "principals", principals.size());
        PopulationTally all = new PopulationTally(models.size(), names);
        for (PopulationTally t : pool.slices(
                principals.size(),
                () -> new PopulationTally(models.size(), names),
                progress,
                (tally, i) -> evaluate(i, principals.get(i), models, tally))) {
            all.merge(t);
        }
        return all;
    }

    private void evaluate(int i, Principal p, List<String> models, PopulationTally t) {
        t.total++;
        // Models and directives are collected only while the list they would be named in has room (and
        // always for losing principals, whose directives are counted).
        Named lost = new Named(true);
        Named gained = new Named(t.gainingExamples.size() < names);
        Named denied = new Named(t.withoutAccessExamples.size() < names);
        for (int m = 0; m < models.size(); m++) {
            String model = models.get(m);
            Request r = new Request(REQUEST_ID, p.id(), model, capabilities, at, "", "", "");
            Decision bd = DecisionPoint.outcome(baseline, facts.baseline()[i], r);
            Decision dd = DecisionPoint.outcome(draft, facts.draft()[i], r);
            boolean ba = bd.allowed();
            boolean da = dd.allowed();
            long[] c = t.byModel[m];
            if (ba) {
                c[0]++;
            }
            if (da) {
                c[1]++;
            } else {
                denied.add(model, dd);
            }
            if (ba && !da) {
                c[2]++;
                lost.add(model, dd);
            } else if (!ba && da) {
                c[3]++;
                gained.add(model, bd);
            }
        }
        if (lost.any) {
            t.addLosing(i, p, lost.models(), lost.directives());
        }
        if (gained.any) {
            t.addGaining(i, p, gained.models(), gained.directives());
        }
        if (denied.any) {
            t.addWithoutAccess(i, p, denied.models(), denied.directives());
        }
    }

    /** Models in one class for one principal and the directives that denied them, kept when they will be named. */
    private static final class Named {
        private final boolean keep;
        private List<String> models;
        private Set<String> deniedBy;
        boolean any;

        Named(boolean keep) {
            this.keep = keep;
        }

        void add(String model, Decision denial) {
            any = true;
            if (keep) {
                if (models == null) {
                    models = new ArrayList<>(2);
                    deniedBy = new TreeSet<>();
                }
                models.add(model);
                deniedBy.addAll(denial.directives());
            }
        }

        List<String> models() {
            return models == null ? List.of() : models;
        }

        List<String> directives() {
            return deniedBy == null ? List.of() : new ArrayList<>(deniedBy);
        }
    }
}
