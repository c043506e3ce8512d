package dev.clearance.lifecycle;

import dev.clearance.record.PolicyChangeEntry;
import dev.clearance.store.DirectiveEvent;
import dev.clearance.store.DirectiveStatus;
import dev.clearance.store.DirectiveVersion;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.Store;
import dev.clearance.store.StoredPosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every directive step in the store, whoever took it (the CLI, the admin API, the scheduler, another
 * node), handed on once to the serving process's decision log as a policy-change entry. One writer per
 * log: the CLI has none when a gateway owns the log, so the serving process writes the steps it learns
 * from the store's history, as it does for activations and screening reviews. The last step handed on
 * is kept in {@code lifecycle_state}, so each reaches the record once, across restarts.
 */
final class RecordedSteps {
    private static final int BATCH = 500;

    private final Store store;
    private final String node;
    private final StoredPosition directiveSteps;
    private final StoredPosition scheduleSteps;

    RecordedSteps(Store store, String node) {
        this.store = store;
        this.node = node;
        this.directiveSteps = new StoredPosition(store.database(), "lifecycle_state", "directive_steps_recorded");
        this.scheduleSteps = new StoredPosition(store.database(), "lifecycle_state", "schedule_steps_recorded");
    }

    /** A step ready for the record, and how to remember that it was handed on. */
    private record Step(Instant at, PolicyChangeEntry entry, Runnable handedOn) {}

    /**
     * Hands every step not yet handed on to {@code sink}, in the order they were taken; {@code sink}
     * returns once the entry is durable (or throws, and the step is handed on again next time).
     *
     * @return how many were handed on
     */
    int handOn(Consumer<PolicyChangeEntry> sink) {
        int count = 0;
        while (true) {
            List<DirectiveEvent> statuses = store.directives().eventsAfter(directiveSteps.get(), BATCH);
            List<LifecycleEvents.Event> schedule = LifecycleEvents.after(store.database(), scheduleSteps.get(), BATCH);
            if (statuses.isEmpty() && schedule.isEmpty()) {
                return count;
            }
            List<PolicyVersion> policies = store.policies().history();
            List<Step> steps = new ArrayList<>();
            for (DirectiveEvent e : statuses) {
                steps.add(new Step(e.at(), entry(e, policies, node), () -> directiveSteps.set(e.sequence())));
            }
            for (LifecycleEvents.Event e : schedule) {
                steps.add(new Step(e.at(), entry(e, policies, node), () -> scheduleSteps.set(e.sequence())));
            }
            steps.sort(Comparator.comparing(Step::at)); // stable: each source keeps its own order
            // A full batch may have more to come before the other source's later steps: stop there.
            Instant horizon = Instant.MAX;
            if (statuses.size() == BATCH) {
                horizon = statuses.getLast().at();
            }
            if (schedule.size() == BATCH && schedule.getLast().at().isBefore(horizon)) {
                horizon = schedule.getLast().at();
            }
            for (Step step : steps) {
                if (step.at().isAfter(horizon)) {
                    break;
                }
                sink.accept(step.entry());
                step.handedOn().run();
                count++;
            }
        }
    }

    /**
     * The log entry of a change of a directive version's status: who, when and why, the version it
     * moved ({@code id@version}), the move ({@code draft->approved}, {@code (new)->active}, ...) and the
     * policy in force after it.
     */
    static PolicyChangeEntry entry(DirectiveEvent e, List<PolicyVersion> policies, String node) {
        String label = e.directiveId() + "@" + e.version();
        String step = (e.from() == null ? "(new)" : e.from().wireName()) + "->" + e.to().wireName();
        return step(e.at(), node, e.actor(), e.reason(), label, step, policyAfter(e, label, policies));
    }

    /** The log entry of a schedule step (scheduled, cancelled, failed), with the policy in force then. */
    static PolicyChangeEntry entry(LifecycleEvents.Event e, List<PolicyVersion> policies, String node) {
        String label = e.directiveId() + "@" + e.version();
        return step(e.at(), node, e.actor(), e.reason(), label, e.step(), inForceAt(e.at(), policies));
    }

    private static PolicyChangeEntry step(
            Instant at, String node, String by, String why, String label, String step, String policyVersion) {
        return new PolicyChangeEntry(
                PolicyChangeEntry.Change.LIFECYCLE_STEP, at, node, by, why, List.of(label), step, policyVersion);
    }

    /**
     * The content hash of the policy in force after a status change: for an activation, the first
     * policy version from its time on that holds the version; for leaving the active set, the first
     * that does not; otherwise the policy in force at its time.
     */
    static String policyAfter(DirectiveEvent e, String label, List<PolicyVersion> policies) {
        boolean activated = e.to() == DirectiveStatus.ACTIVE;
        if (activated || e.from() == DirectiveStatus.ACTIVE) {
            for (PolicyVersion p : policies) {
                if (!p.activatedAt().isBefore(e.at()) && holds(p, label) == activated) {
                    return p.contentHash();
                }
            }
        }
        return inForceAt(e.at(), policies);
    }

    /** The content hash of the policy in force at {@code time}, "" before the first. */
    private static String inForceAt(Instant time, List<PolicyVersion> policies) {
        String inForce = "";
        for (PolicyVersion p : policies) {
            if (!p.activatedAt().isAfter(time)) {
                inForce = p.contentHash();
            }
        }
        return inForce;
    }

    private static boolean holds(PolicyVersion p, String label) {
        return p.directives().stream().map(DirectiveVersion::label).anyMatch(label::equals);
    }
}
