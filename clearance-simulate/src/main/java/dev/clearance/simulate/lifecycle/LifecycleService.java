package dev.clearance.simulate.lifecycle;

import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.log.PolicyChangeEntry;
import dev.clearance.store.DirectiveStatus;
import dev.clearance.store.DirectiveText;
import dev.clearance.store.DirectiveVersion;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.PolicyVersions;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 */
public final class LifecycleService implements AutoCloseable {
    private final Store store;
    private final LifecycleRules rules;
    private final Clock clock;
    private final String node;
    private final ShadowCounter shadow;
    private volatile Thread scheduler;
    private volatile java.util.function.Consumer<PolicyChangeEntry> steps = e -> {};

    /**
     * Hands every lifecycle step to {@code sink} as a decision-log policy-change entry (the serving
     * process passes its log's append), so each step is on the tamper-evident record too.
     */
    public LifecycleService recordStepsTo(java.util.function.Consumer<PolicyChangeEntry> sink) {
        this.steps = Objects.requireNonNull(sink);
        return this;
    }

    private void record(
            PolicyChangeEntry.Change change,
            String directiveLabel,
            String by,
            String why,
            String step,
            String policyVersion) {
        steps.accept(new PolicyChangeEntry(
                change,
                clock.instant(),
                node,
                by,
                why == null ? "" : why,
                List.of(directiveLabel),
                step,
                policyVersion));
    }

    private String activePolicyVersion() {
        return store.policies().active().map(PolicyVersion::contentHash).orElse("");
    }

    /**
     * @param node a name for this process, recorded on the schedule rows it claims (e.g. host:port)
     */
    public LifecycleService(Store store, LifecycleRules rules, Clock clock, String node) {
        this.store = Objects.requireNonNull(store);
        this.rules = Objects.requireNonNull(rules);
        this.clock = Objects.requireNonNull(clock);
        this.node = Objects.requireNonNull(node);
        this.shadow = new ShadowCounter(store.database(), clock);
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
        List<Directive> parsed = DirectiveParser.parse(sourceFile, text);
        if (parsed.size() != 1) {
            throw new PolicyException(new dev.clearance.core.Problem(
                    sourceFile, 1, 1, "a proposal is one directive document; found " + parsed.size()));
        }
        Directive d = parsed.get(0);
        Policy.compile(replacing(activeDirectives(), d)); // compiles with the active set, or throws located problems
        DirectiveVersion v = store.directives().propose(DirectiveText.of(d), author, reason);
        record(
                PolicyChangeEntry.Change.LIFECYCLE_STEP,
                v.label(),
                author,
                reason,
                "proposed->draft",
                activePolicyVersion());
        return v;
    }

    /**
     * Approves a draft.
     *
     * @throws LifecycleException when the two-person rule is on and the approver wrote it
     */
    public DirectiveVersion approve(String directiveId, int version, String approver, String reason) {
        DirectiveVersion v = require(directiveId, version);
        if (v.status() != DirectiveStatus.DRAFT) {
            throw new LifecycleException(v.label() + " is " + v.status().wireName() + "; only a draft can be approved");
        }
        if (rules.twoPersonRule() && v.author().equals(approver)) {
            throw new LifecycleException("two-person rule: " + v.label() + " was written by " + approver
                    + " and must be approved by someone else");
        }
        DirectiveVersion approved =
                store.directives().transition(directiveId, version, DirectiveStatus.APPROVED, approver, reason);
        record(
                PolicyChangeEntry.Change.LIFECYCLE_STEP,
                approved.label(),
                approver,
                reason,
                "draft->approved",
                activePolicyVersion());
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
        DirectiveVersion v = require(directiveId, version);
        if (v.status() != DirectiveStatus.APPROVED) {
            throw new LifecycleException(
                    v.label() + " is " + v.status().wireName() + "; only an approved version can be activated"
                            + (v.status() == DirectiveStatus.DRAFT ? " (approve it first)" : ""));
        }
        Directive d = parse(v);
        Instant now = clock.instant();
        if (d.effectiveFrom().isAfter(now)) {
            schedule(v, d.effectiveFrom(), by, reason, now);
            record(
                    PolicyChangeEntry.Change.LIFECYCLE_STEP,
                    v.label(),
                    by,
                    reason,
                    "approved->scheduled " + d.effectiveFrom(),
                    activePolicyVersion());
            return new Activation.Scheduled(v, d.effectiveFrom());
        }
        return new Activation.Activated(activateNow(v, by, reason));
    }

    /**
     * Withdraws a version: an active one leaves the policy (a new policy version without it), a draft
     * or approved one (scheduled or not) is set aside.
     */
    public Optional<PolicyVersion> withdraw(String directiveId, int version, String by, String reason)
            throws PolicyException {
        DirectiveVersion v = require(directiveId, version);
        switch (v.status()) {
            case ACTIVE -> {
                Optional<PolicyVersion> active = store.policies().active();
                List<PolicyVersions.VersionRef> refs = new ArrayList<>();
                List<Directive> directives = new ArrayList<>();
                for (DirectiveVersion m : members(active)) {
                    if (!m.directiveId().equals(directiveId)) {
                        refs.add(new PolicyVersions.VersionRef(m.directiveId(), m.version()));
                        directives.add(parse(m));
                    }
                }
                String hash = Policy.compile(directives).version();
                PolicyVersion p = store.policies().activateVersions(basedOn(active), refs, hash, by, reason);
                record(
                        PolicyChangeEntry.Change.DIRECTIVE_WITHDRAWN,
                        v.label(),
                        by,
                        reason,
                        "active->withdrawn",
                        p.contentHash());
                return Optional.of(p);
            }
            case DRAFT, APPROVED -> {
                cancelSchedule(v, by, reason);
                store.directives().transition(directiveId, version, DirectiveStatus.WITHDRAWN, by, reason);
                record(
                        PolicyChangeEntry.Change.LIFECYCLE_STEP,
                        v.label(),
                        by,
                        reason,
                        v.status().wireName() + "->withdrawn",
                        activePolicyVersion());
                return Optional.empty();
            }
            case WITHDRAWN -> throw new LifecycleException(v.label() + " is already withdrawn");
        }
        throw new AssertionError(v.status());
    }

    // ---- schedule ----------------------------------------------------------------------------

    /** A version waiting for (or past) its scheduled activation. */
    public record ScheduledActivation(
            String directiveId,
            int version,
            Instant due,
            String requestedBy,
            String reason,
            String state,
            String claimedBy,
            Instant doneAt,
            Long policyNumber,
            String note) {}

    /** Every schedule row, soonest first. */
    public List<ScheduledActivation> schedule() {
        return store.database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT directive_id, version, due_at, requested_by, reason, state, "
                            + "claimed_by, done_at, policy_number, note FROM lifecycle_schedule ORDER BY due_at, directive_id, version")) {
                List<ScheduledActivation> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long pn = rs.getLong(9);
                        Long policy = rs.wasNull() ? null : pn;
                        String done = rs.getString(8);
                        out.add(new ScheduledActivation(
                                rs.getString(1),
                                rs.getInt(2),
                                Instant.parse(rs.getString(3)),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7),
                                done == null ? null : Instant.parse(done),
                                policy,
                                rs.getString(10)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Activates every scheduled version that is due: claims it (so no other node does), activates it,
     * and records the outcome. A version that can no longer be activated (withdrawn meanwhile, or the
     * policy no longer compiles with it) is marked failed with the reason, and stays out of force.
     *
     * @return the policy versions activated
     */
    public List<PolicyVersion> activateDue() {
        Instant now = clock.instant();
        List<ScheduledActivation> due = schedule().stream()
                .filter(s -> s.state().equals("pending") && !s.due().isAfter(now))
                .toList();
        List<PolicyVersion> out = new ArrayList<>();
        for (ScheduledActivation s : due) {
            if (!claim(s)) {
                continue; // another node got it
            }
            try {
                DirectiveVersion v = require(s.directiveId(), s.version());
                if (v.status() != DirectiveStatus.APPROVED) {
                    finish(s, "failed", null, v.label() + " is " + v.status().wireName() + ", no longer approved");
                    continue;
                }
                PolicyVersion p = activateNow(
                        v, s.requestedBy(), "scheduled activation at effective_from " + s.due() + ": " + s.reason());
                finish(s, "activated", p.number(), null);
                out.add(p);
            } catch (PolicyException | RuntimeException e) {
                finish(s, "failed", null, e.getMessage());
            }
        }
        return out;
    }

    /**
     * Starts the scheduler on a daemon thread: every {@code period}, activates due versions and flushes
     * shadow counts. Errors are reported to {@code onError} and retried on the next tick.
     */
    public synchronized void start(Duration period, java.util.function.Consumer<Exception> onError) {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        Thread t = Thread.ofPlatform().daemon().name("clearance-lifecycle").unstarted(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    activateDue();
                    shadow.flush();
                } catch (RuntimeException e) {
                    onError.accept(e);
                }
                try {
                    Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        scheduler = t;
        t.start();
    }

    /** Stops the scheduler (if started) and flushes the shadow counts one last time. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = scheduler;
            scheduler = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        shadow.flush();
    }

    // ---- internals ---------------------------------------------------------------------------

    private DirectiveVersion require(String id, int version) {
        return store.directives()
                .get(id, version)
                .orElseThrow(() -> new StoreException.NotFound("no directive version " + id + "@" + version));
    }

    private static Directive parse(DirectiveVersion v) throws PolicyException {
        List<Directive> ds = DirectiveParser.parse(v.sourceFile(), v.text());
        if (ds.size() != 1) {
            throw new LifecycleException(v.label() + " holds " + ds.size() + " directives; expected one");
        }
        return ds.get(0);
    }

    private List<DirectiveVersion> activeMembers() {
        return members(store.policies().active());
    }

    private static List<DirectiveVersion> members(Optional<PolicyVersion> policy) {
        return policy.map(PolicyVersion::directives).orElse(List.of());
    }

    /** The number a change derived from {@code active} names, so the store refuses it if another came first. */
    private static long basedOn(Optional<PolicyVersion> active) {
        return active.map(PolicyVersion::number).orElse(PolicyVersions.NONE);
    }

    private List<Directive> activeDirectives() throws PolicyException {
        List<Directive> out = new ArrayList<>();
        for (DirectiveVersion m : activeMembers()) {
            out.add(parse(m));
        }
        return out;
    }

    static List<Directive> replacing(List<Directive> base, Directive d) {
        List<Directive> out = new ArrayList<>();
        for (Directive b : base) {
            if (!b.id().equals(d.id())) {
                out.add(b);
            }
        }
        out.add(d);
        return out;
    }

    /** The active policy with {@code v} in place of its directive's active version. */
    private PolicyVersion activateNow(DirectiveVersion v, String by, String reason) throws PolicyException {
        Optional<PolicyVersion> active = store.policies().active();
        List<PolicyVersions.VersionRef> refs = new ArrayList<>();
        List<Directive> directives = new ArrayList<>();
        for (DirectiveVersion m : members(active)) {
            if (!m.directiveId().equals(v.directiveId())) {
                refs.add(new PolicyVersions.VersionRef(m.directiveId(), m.version()));
                directives.add(parse(m));
            }
        }
        refs.add(new PolicyVersions.VersionRef(v.directiveId(), v.version()));
        directives.add(parse(v));
        Directive d = directives.get(directives.size() - 1);
        String hash = Policy.compile(directives).version();
        PolicyVersion p = store.policies().activateVersions(basedOn(active), refs, hash, by, reason);
        record(
                PolicyChangeEntry.Change.LIFECYCLE_STEP,
                v.label(),
                by,
                reason,
                "approved->active (" + d.mode().wireName() + ")",
                p.contentHash());
        return p;
    }

    private void schedule(DirectiveVersion v, Instant due, String by, String reason, Instant now) {
        store.database().write(c -> {
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM lifecycle_schedule WHERE directive_id = ? AND version = ? AND state IN ('cancelled', 'failed')")) {
                del.setString(1, v.directiveId());
                del.setInt(2, v.version());
                del.executeUpdate();
            }
            if (exists(c, v)) {
                throw new LifecycleException(v.label() + " is already scheduled");
            }
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO lifecycle_schedule (directive_id, version, due_at, "
                            + "requested_by, reason, created_at, state) VALUES (?, ?, ?, ?, ?, ?, 'pending')")) {
                ps.setString(1, v.directiveId());
                ps.setInt(2, v.version());
                ps.setString(3, due.toString());
                ps.setString(4, by);
                ps.setString(5, reason == null ? "" : reason);
                ps.setString(6, now.toString());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static boolean exists(Connection c, DirectiveVersion v) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM lifecycle_schedule WHERE directive_id = ? AND version = ?")) {
            ps.setString(1, v.directiveId());
            ps.setInt(2, v.version());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void cancelSchedule(DirectiveVersion v, String by, String reason) {
        store.database().write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE lifecycle_schedule SET state = 'cancelled', done_at = ?, note = ? "
                            + "WHERE directive_id = ? AND version = ? AND state = 'pending'")) {
                ps.setString(1, clock.instant().toString());
                ps.setString(2, "withdrawn by " + by + (reason == null || reason.isEmpty() ? "" : ": " + reason));
                ps.setString(3, v.directiveId());
                ps.setInt(4, v.version());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private boolean claim(ScheduledActivation s) {
        return store.database().write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE lifecycle_schedule SET state = 'claimed', claimed_by = ? "
                            + "WHERE directive_id = ? AND version = ? AND state = 'pending'")) {
                ps.setString(1, node);
                ps.setString(2, s.directiveId());
                ps.setInt(3, s.version());
                return ps.executeUpdate() == 1;
            }
        });
    }

    private void finish(ScheduledActivation s, String state, Long policy, String note) {
        store.database().write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE lifecycle_schedule SET state = ?, done_at = ?, policy_number = ?, "
                            + "note = ? WHERE directive_id = ? AND version = ?")) {
                ps.setString(1, state);
                ps.setString(2, clock.instant().toString());
                if (policy == null) {
                    ps.setNull(3, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(3, policy);
                }
                ps.setString(4, note);
                ps.setString(5, s.directiveId());
                ps.setInt(6, s.version());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
