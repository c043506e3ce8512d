package dev.clearance.simulate;

import dev.clearance.core.Policy;
import dev.clearance.core.Principal;
import dev.clearance.core.PrincipalFacts;
import java.util.Arrays;
import java.util.List;

/**
 * The population as both passes read it, by position: each principal's id, an index from id to
 * position (for traffic), and its facts once per policy, so the two policies' memos never thrash.
 * Filled once, then only read.
 */
record PopulationFacts(NameIndex index, String[] ids, PrincipalFacts[] baseline, PrincipalFacts[] draft) {
    static PopulationFacts of(List<Principal> principals, Policy baselinePolicy, Policy draftPolicy, WorkerPool pool) {
        int n = principals.size();
        String[] ids = new String[n];
        PrincipalFacts[] baseline = new PrincipalFacts[n];
        PrincipalFacts[] draft = new PrincipalFacts[n];
        pool.slices(n, i -> {
            Principal p = principals.get(i);
            ids[i] = p.id();
            baseline[i] = PrincipalFacts.of(p, baselinePolicy);
            draft[i] = PrincipalFacts.of(p, draftPolicy);
        });
        return new PopulationFacts(new NameIndex(Arrays.asList(ids)), ids, baseline, draft);
    }

    /** The principal's facts under the baseline; {@code null} for -1, an unknown principal. */
    PrincipalFacts baselineOf(int i) {
        return i < 0 ? null : baseline[i];
    }

    /** The principal's facts under the draft; {@code null} for -1, an unknown principal. */
    PrincipalFacts draftOf(int i) {
        return i < 0 ? null : draft[i];
    }
}
