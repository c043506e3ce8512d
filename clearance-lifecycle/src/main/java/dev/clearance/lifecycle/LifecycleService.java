package dev.clearance.lifecycle;

import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.DirectivePatch;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import dev.clearance.record.PolicyChangeEntry;
import dev.clearance.store.DirectiveStatus;
import dev.clearance.store.DirectiveText;
import dev.clearance.store.DirectiveVersion;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.PolicyVersions;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import dev.clearance.store.StoredPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The directive lifecycle over the store: {@code draft -> approved -> active -> withdrawn}, each step
 * with who, when and why (the store's history), under the configured rules.
 *
 * <ul>
 *   <li>{@link #propose}: a new draft version; it must parse as one directive and compile with the
 *       active policy, so nothing unloadable gets in line.</li>
 *   <li>{@link #approve}: by someone other than the author when the two-person rule is on.</li>
 *   <li>{@link #activate}: an approved version joins the active policy (replacing its previous version)
 *       now, or — when its {@code effective_from} is in the future — is scheduled, and the scheduler
 *       ({@link #activateDue}, run periodically by {@link #start}) activates it once due. Enforce or
 *       shadow is the directive's own {@code mode}: promoting shadow to enforce is a new version.</li>
 *   <li>{@link #withdraw}: an active version leaves the policy; a draft or approved one is set aside.</li>
 * </ul>
 *
 * <p>The gateway starts one per node ({@link #start}); with PostgreSQL, a due version is claimed in
 * the database first, so exactly one node activates it.
 *
 * <p>Which step a version may take, and who may take it, is {@link LifecycleRules} (pure); how a
 * version amends the active set is {@link StoredPolicy#withChanges} and {@link StoredPolicy#without},
 * as for every other way of changing the policy. This class reads the store, checks the rules,
 * compiles the policy a step makes, keeps the schedule and records each step.
 */
public final class LifecycleService implements AutoCloseable {
    /** How often a due activation is derived again when other changes keep coming first. */
    private static final int SCHEDULED_ATTEMPTS = 5;

    private final Store store;
    private final LifecycleRules rules;
    private final Clock clock;
    private final String node;
    private final ShadowCounter shadow;
    private final ActivationSchedule schedule;
    private final RecordedSteps recordedSteps;
    private Scheduler scheduler;
    private volatile Consumer<PolicyChangeEntry> steps;

    /**
     * @param node a name for this process, recorded on the schedule rows it claims (e.g. host:port)
     */
    public LifecycleService(Store store, LifecycleRules rules, Clock clock, String node) {
        this.store = Objects.requireNonNull(store);
        this.rules = Objects.requireNonNull(rules);
        this.clock = Objects.requireNonNull(clock);
        this.node = Objects.requireNonNull(node);
        this.shadow = new ShadowCounter(store.database(), clock);
        this.schedule = new ActivationSchedule(store.database(), clock, node);
        this.recordedSteps = new RecordedSteps(store, node);
    }

    /**
     * Hands every directive step in the store to {@code sink} as a decision-log policy-change entry, on
     * each scheduler tick and once more on close: the steps this process takes and those taken from
     * any other (the CLI, the admin API, another node), each once. The serving process passes its log's
     * append, returning once the entry is durable. Without a sink (the CLI), steps are only in the store
     * until a serving process hands them on.
     */
    public LifecycleService recordStepsTo(Consumer<PolicyChangeEntry> sink) {
        this.steps = Objects.requireNonNull(sink);
        return this;
    }

    /**
     * Hands the steps not yet on the record to the sink given to {@link #recordStepsTo} (none without
     * one).
     *
     * @return how many were handed on
     */
    public int recordSteps() {
        Consumer<PolicyChangeEntry> sink = steps;
        return sink == null ? 0 : recordedSteps.handOn(sink);
    }

    /** The rules this service checks (whether approval needs a second person). */
    public LifecycleRules rules() {
        return rules;
    }

    /** The counter of shadow hits the gateway feeds with every decision; flushed on each scheduler tick. */
    public ShadowCounter shadowCounter() {
        return shadow;
    }

    // ---- steps -------------------------------------------------------------------------------

    /**
     * Stores {@code text} (one directive document) as the next draft version of its directive.
     *
     * @throws PolicyException when it does not parse, or the active policy with it would not compile
     */
    public DirectiveVersion propose(String sourceFile, String text, String author, String reason)
            throws PolicyException {
        return store.directives().propose(DirectiveText.of(checked(sourceFile, text)), author, reason);
    }

    /**
     * The text of version {@code base} of a directive with {@code patch} applied ({@link DirectivePatch}:
     * only the fields that change), checked as {@link #propose} checks a proposal, without storing it.
     *
     * @throws PolicyException when the patch is not a mapping of directive fields, or the result does not
     *                         parse or compile with the active policy
     */
    public String amended(String directiveId, int base, String patchFile, String patch) throws PolicyException {
        DirectiveVersion v = version(directiveId, base);
        String text = DirectivePatch.apply(v.label(), v.text(), patchFile, patch);
        checked(amendedSource(patchFile, v), text);
        return text;
    }

    /** Proposes version {@code base} of a directive with {@code patch} applied as its next draft version. */
    public DirectiveVersion amend(
            String directiveId, int base, String patchFile, String patch, String author, String reason)
            throws PolicyException {
        DirectiveVersion v = version(directiveId, base);
        return propose(amendedSource(patchFile, v), amended(directiveId, base, patchFile, patch), author, reason);
    }

    private static String amendedSource(String patchFile, DirectiveVersion base) {
        return patchFile + " on " + base.label();
    }

    /** One directive document that compiles with the active policy, or located problems. */
    private Directive checked(String sourceFile, String text) throws PolicyException {
        List<Directive> parsed = DirectiveParser.parse(sourceFile, text);
        if (parsed.size() != 1) {
            throw new PolicyException(
                    new Problem(sourceFile, 1, 1, "a proposal is one directive document; found " + parsed.size()));
        }
        activePolicyWith(StoredPolicy.active(store), parsed.get(0));
        return parsed.get(0);
    }

    /**
     * Approves a draft.
     *
     * @throws LifecycleException when the two-person rule is on and the approver wrote it
     */
    public DirectiveVersion approve(String directiveId, int version, String approver, String reason) {
        DirectiveVersion v = version(directiveId, version);
        rules.checkApprove(v, approver);
        DirectiveVersion approved =
                store.directives().transition(directiveId, version, DirectiveStatus.APPROVED, approver, reason);
        return approved;
    }

    /** What {@link #activate} did. */
    public sealed interface Activation {
        /** Joined the active policy now. */
        record Activated(PolicyVersion policy) implements Activation {}

        /** Waits for its effective_from; the scheduler activates it then. */
        record Scheduled(DirectiveVersion version, Instant due) implements Activation {}
    }

    /**
     * Activates an approved version: now, or at its {@code effective_from} if that is in the future.
     *
     * @throws LifecycleException when the version is not approved
     * @throws PolicyException    when the policy it would make does not compile
     */
    public Activation activate(String directiveId, int version, String by, String reason) throws PolicyException {
        DirectiveVersion v = version(directiveId, version);
        rules.checkActivate(v);
        Directive d = parse(v);
        if (d.effectiveFrom().isAfter(clock.instant())) {
            schedule.add(v, d.effectiveFrom(), by, reason);
            return new Activation.Scheduled(v, d.effectiveFrom());
        }
        return new Activation.Activated(activateNow(v, by, reason));
    }

    /**
     * Withdraws a version: an active one leaves the policy (a new policy version without it), a draft
     * or approved one (scheduled or not) is set aside.
     *
     * @throws LifecycleException when it is withdrawn already
     */
    public Optional<PolicyVersion> withdraw(String directiveId, int version, String by, String reason)
            throws PolicyException {
        DirectiveVersion v = version(directiveId, version);
        rules.checkWithdraw(v);
        if (v.status() == DirectiveStatus.ACTIVE) {
            Optional<StoredPolicy> active = StoredPolicy.active(store);
            String hash = Policy.compile(StoredPolicy.without(directives(active), directiveId))
                    .version();
            PolicyVersion p = store.policies()
                    .activateVersions(basedOn(active), refsExcept(active, directiveId), hash, by, reason);
            return Optional.of(p);
        }
        schedule.cancel(v, by, reason);
        store.directives().transition(directiveId, version, DirectiveStatus.WITHDRAWN, by, reason);
        return Optional.empty();
    }

    // ---- reading -----------------------------------------------------------------------------

    /**
     * A stored directive version.
     *
     * @throws StoreException.NotFound when there is none
     */
    public DirectiveVersion version(String directiveId, int version) {
        return store.directives()
                .get(directiveId, version)
                .orElseThrow(() -> new StoreException.NotFound("no directive version " + directiveId + "@" + version));
    }

    /** The active policy, compiled (empty when nothing is active). */
    public Policy activePolicy() {
        return StoredPolicy.active(store).map(StoredPolicy::policy).orElse(Policy.empty());
    }

    /**
     * The active policy as it would be with {@code v} in place of its directive's active version (or
     * added, when its directive has none): what activating {@code v} would enforce.
     */
    public Policy activePolicyWith(DirectiveVersion v) throws PolicyException {
        return activePolicyWith(StoredPolicy.active(store), parse(v));
    }

    private static Policy activePolicyWith(Optional<StoredPolicy> active, Directive d) throws PolicyException {
        return Policy.compile(StoredPolicy.withChanges(directives(active), List.of(d)));
    }

    // ---- schedule ----------------------------------------------------------------------------

    /** Every scheduled activation, soonest first. */
    public List<ScheduledActivation> schedule() {
        return schedule.all();
    }

    /**
     * Activates every scheduled version that is due: claims it (so no other node does), activates it,
     * and records the outcome. A version that can no longer be activated (withdrawn meanwhile, or the
     * policy no longer compiles with it) is marked failed with the reason, and stays out of force. A
     * row claimed by a node that died before finishing is claimed again once its lease lapses.
     *
     * @return the policy versions activated
     */
    public List<PolicyVersion> activateDue() {
        Instant now = clock.instant();
        List<ScheduledActivation> due = schedule.all().stream()
                .filter(s -> s.claimable(now) && !s.due().isAfter(now))
                .toList();
        List<PolicyVersion> out = new ArrayList<>();
        for (ScheduledActivation s : due) {
            if (!schedule.claim(s)) {
                continue; // another node got it
            }
            try {
                DirectiveVersion v = version(s.directiveId(), s.version());
                if (v.status() == DirectiveStatus.ACTIVE) {
                    // A node that died after activating it but before finishing the row.
                    schedule.finish(
                            s,
                            "activated",
                            store.policies().active().map(PolicyVersion::number).orElse(null),
                            "found active when re-claimed from " + s.claimedBy());
                    continue;
                }
                if (!rules.mayActivate(v.status())) {
                    schedule.finish(
                            s, "failed", null, v.label() + " is " + v.status().wireName() + ", no longer approved");
                    continue;
                }
                PolicyVersion p = activateScheduled(v, s);
                schedule.finish(s, "activated", p.number(), null);
                out.add(p);
            } catch (PolicyException | RuntimeException e) {
                schedule.finish(s, "failed", null, e.getMessage());
            }
        }
        return out;
    }

    /**
     * A scheduled activation joins whatever policy is active when it is due: when another change
     * comes first (compare-and-set refused), it is derived again from the new policy, a few times.
     */
    private PolicyVersion activateScheduled(DirectiveVersion v, ScheduledActivation s) throws PolicyException {
        String reason = "scheduled activation at effective_from " + s.due() + ": " + s.reason();
        for (int attempt = 1; ; attempt++) {
            try {
                return activateNow(v, s.requestedBy(), reason);
            } catch (StoreException.PolicyConflict e) {
                if (attempt == SCHEDULED_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Starts the scheduler on a daemon thread: every {@code period}, activates due versions and flushes
     * shadow counts. Errors are reported to {@code onError} and retried on the next tick.
     */
    public synchronized void start(Duration period, Consumer<Exception> onError) {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        scheduler = Scheduler.start(
                period,
                () -> {
                    activateDue();
                    shadow.flush();
                    recordSteps();
                },
                onError);
    }

    /** Stops the scheduler (if started) and flushes the shadow counts one last time. */
    @Override
    public void close() {
        Scheduler s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) {
            s.close();
        }
        shadow.flush();
        try {
            recordSteps();
        } catch (RuntimeException e) {
            // Still in the store: the next serving process hands them on.
        }
    }

    // ---- internals ---------------------------------------------------------------------------

    private static Directive parse(DirectiveVersion v) throws PolicyException {
        List<Directive> ds = DirectiveParser.parse(v.sourceFile(), v.text());
        if (ds.size() != 1) {
            throw new LifecycleException(v.label() + " holds " + ds.size() + " directives; expected one");
        }
        return ds.get(0);
    }

    /** The policy number a step derived from {@code active} names, so it is refused if another came first. */
    private static long basedOn(Optional<StoredPolicy> active) {
        return active.map(a -> a.version().number()).orElse(PolicyVersions.NONE);
    }

    private static List<Directive> directives(Optional<StoredPolicy> active) {
        return active.map(StoredPolicy::directives).orElse(List.of());
    }

    /** The active policy's versions, but for {@code directiveId}'s, as a new policy version lists them. */
    private static List<PolicyVersions.VersionRef> refsExcept(Optional<StoredPolicy> active, String directiveId) {
        List<PolicyVersions.VersionRef> out = new ArrayList<>();
        for (DirectiveVersion m : active.map(a -> a.version().directives()).orElse(List.of())) {
            if (!m.directiveId().equals(directiveId)) {
                out.add(new PolicyVersions.VersionRef(m.directiveId(), m.version()));
            }
        }
        return out;
    }

    /** The active policy with {@code v} in place of its directive's active version. */
    private PolicyVersion activateNow(DirectiveVersion v, String by, String reason) throws PolicyException {
        Optional<StoredPolicy> active = StoredPolicy.active(store);
        Directive d = parse(v);
        String hash = activePolicyWith(active, d).version();
        List<PolicyVersions.VersionRef> refs = refsExcept(active, v.directiveId());
        refs.add(new PolicyVersions.VersionRef(v.directiveId(), v.version()));
        PolicyVersion p = store.policies().activateVersions(basedOn(active), refs, hash, by, reason);
        return p;
    }
}
