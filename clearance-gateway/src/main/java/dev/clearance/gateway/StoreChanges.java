package dev.clearance.gateway;

import dev.clearance.core.Policy;
import dev.clearance.store.Change;
import dev.clearance.store.ChangeFollower;
import dev.clearance.store.DirectiveVersion;
import dev.clearance.store.Store;
import dev.clearance.store.StoredPolicy;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the store's change feed to this node, so that changes made anywhere (another gateway node,
 * the CLI) take effect here: a new policy version is compiled and swapped in, and a principal or key
 * change forgets the cached callers; both re-decide the calls in flight. Changes this node made
 * itself arrive too and are no-ops (same policy version). A policy version that becomes active here
 * from the feed is written to the decision log first (who activated it, why, and on which node it
 * took effect when), so the log shows when each version was enforced wherever it was made.
 *
 * <p>While the feed cannot be read the node reports not ready ({@code /ready} 503), so a load
 * balancer stops sending it traffic; once it has not confirmed its policy for {@code max_staleness}
 * it also refuses model calls ({@link Confirmation}). A new policy version that cannot be loaded or
 * compiled here is such a failure too: the previous policy is not enforced on as if current.
 */
final class StoreChanges implements ChangeFollower.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(StoreChanges.class);

    private final Store store;
    private final ActivePolicy policy;
    private final Callers callers;
    private final LiveCalls live;
    private final Enforcement enforcement;
    private final Clock clock;
    private volatile boolean healthy = true;

    StoreChanges(
            Store store, ActivePolicy policy, Callers callers, LiveCalls live, Enforcement enforcement, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.callers = callers;
        this.live = live;
        this.enforcement = enforcement;
        this.clock = clock;
    }

    /**
     * Logs the activation ahead of every decision made under it ({@link Enforcement#recordPolicyChange}
     * places the entry without waiting; a record that fails is reported and the policy is enforced
     * anyway, a restriction never waits on the log).
     */
    private void record(Optional<StoredPolicy> active, Policy stored) {
        String by = active.map(a -> a.version().activatedBy()).orElse("");
        String why = active.map(a -> a.version().reason()).orElse("no active policy in the store");
        List<String> members = active.map(a -> a.version().directives().stream()
                        .map(DirectiveVersion::label)
                        .toList())
                .orElse(List.of());
        enforcement.recordPolicyChange(new DecisionRecorder.PolicyChange(
                DecisionRecorder.PolicyChange.Kind.ACTIVATED, members, by, why, stored.version(), clock.instant()));
    }

    /** Whether the last attempt to follow the change feed succeeded. */
    boolean healthy() {
        return healthy;
    }

    @Override
    public void onChanges(List<Change> changes) {
        boolean callersChanged = false;
        boolean policyChanged = false;
        for (Change c : changes) {
            switch (c.kind()) {
                case Change.Kind.POLICY_ACTIVATED -> policyChanged = true;
                case Change.Kind.PRINCIPAL_PUT,
                        Change.Kind.PRINCIPAL_DELETED,
                        Change.Kind.PRINCIPALS_IMPORTED,
                        Change.Kind.KEY_REVOKED -> callersChanged = true;
                // Screening results (clearance-screening) changed: principals must be re-read with them.
                default -> callersChanged |= c.kind().startsWith("screening_");
            }
        }
        if (callersChanged) {
            callers.forget();
        }
        if (policyChanged) {
            // A policy that cannot be read or compiled here throws: the follower reports it and tries the
            // same changes again, and meanwhile this node stops confirming its policy (fail closed).
            Optional<StoredPolicy> active = StoredPolicy.active(store);
            ActivePolicy.Applied stored = ActivePolicy.Applied.of(active);
            if (stored.number() > policy.number()) {
                record(active, stored.policy());
                if (policy.advance(stored)) { // re-decides the calls in flight
                    LOG.info(
                            "policy version {} ({}) from the store is now in force",
                            stored.number(),
                            stored.policy().version());
                    return;
                }
            }
        }
        if (callersChanged) {
            live.redecideAll();
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        if (healthy) {
            LOG.error("cannot follow the store's change feed; reporting not ready and retrying", failure);
        }
        healthy = false;
    }

    @Override
    public void onRecovered() {
        LOG.info("following the store's change feed again; reporting ready");
        healthy = true;
    }
}
