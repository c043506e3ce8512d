package dev.clearance.simulate;

import dev.clearance.core.Decision;
import dev.clearance.core.DecisionPoint;
import dev.clearance.core.Policy;
import dev.clearance.core.Principal;
import dev.clearance.core.Request;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Asks, for every principal and model: may this principal use the model at {@code at}, with the
 * configured capabilities and from an unknown location — under the baseline and under the draft.
 * The principals are split between the pool's workers, each into its own {@link PopulationTally}.
 */
final class PopulationPass {
    private static final int EXAMPLES = 25;
    private static final String REQUEST_ID = "simulated";

    private final Policy baseline;
    private final Policy draft;
    private final Instant at;
    private final List<String> capabilities;
    private final PopulationFacts facts;
    private final WorkerPool pool;
    private final Progress progress;

    PopulationPass(
            Policy baseline,
            Policy draft,
            Instant at,
            List<String> capabilities,
            PopulationFacts facts,
            WorkerPool pool,
            Progress progress) {
        this.baseline = baseline;
        this.draft = draft;
        this.at = at;
        this.capabilities = capabilities;
        this.facts = facts;
        this.pool = pool;
        this.progress = progress;
    }

    PopulationTally run(List<Principal> principals, List<String> models) {
        progress.phase("principals", "principals", principals.size());
        PopulationTally all = new PopulationTally(models.size(), EXAMPLES);
        for (PopulationTally t : pool.slices(
                principals.size(),
                () -> new PopulationTally(models.size(), EXAMPLES),
                progress,
                (tally, i) -> evaluate(i, principals.get(i), models, tally))) {
            all.merge(t);
        }
        return all;
    }

    private void evaluate(int i, Principal p, List<String> models, PopulationTally t) {
        t.total++;
        List<String> lost = null;
        Set<String> cutBy = null;
        boolean gained = false;
        for (int m = 0; m < models.size(); m++) {
            String model = models.get(m);
            Request r = new Request(REQUEST_ID, p.id(), model, capabilities, at, "", "", "");
            boolean ba = DecisionPoint.decide(baseline, facts.baseline()[i], r).allowed();
            Decision d = DecisionPoint.decide(draft, facts.draft()[i], r);
            boolean da = d.allowed();
            long[] c = t.byModel[m];
            if (ba) {
                c[0]++;
            }
            if (da) {
                c[1]++;
            }
            if (ba && !da) {
                c[2]++;
                if (lost == null) {
                    lost = new ArrayList<>(2);
                    cutBy = new LinkedHashSet<>();
                }
                lost.add(model);
                cutBy.addAll(d.directives());
            } else if (!ba && da) {
                c[3]++;
                gained = true;
            }
        }
        if (gained) {
            t.gaining++;
        }
        if (lost != null) {
            t.addLosing(i, p, lost, new ArrayList<>(new TreeSet<>(cutBy)));
        }
    }
}
